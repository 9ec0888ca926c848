// Drives the dashboard's session table in headless Chromium (npm "playwright-core"), run by
// DashboardIT. argv: the admin listener's base URL, the admin token, the client id of a session
// past the first page, the client id of the session to delete (on a later page), the client id of
// the session with the largest queue, and the Chromium executable. Prints one line per step:
// "first page ROWS COUNT_TEXT", "next page ROWS", "seen SESSION", "kept after cancel",
// "deleted QUESTION", "largest first SESSION QUEUED", "purged", then "errors N" with each console error, CSP report or failed request after it;
// "error ..." and exit 1 when a step fails.
const { chromium } = require('playwright-core');

const [base, token, pastFirstPage, victim, busy, executable] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push('answer: ' + r.status() + ' ' + r.url()); });
    page.on('pageerror', (e) => errors.push('page: ' + e.message));
    let answer = 'accept';
    let question = null;
    page.on('dialog', (d) => {
      question = d.message();
      return answer === 'accept' ? d.accept() : d.dismiss();
    });
    await page.goto(base + '/dashboard/');
    await page.waitForSelector('#login', { state: 'visible', timeout: 10000 });
    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#board', { state: 'visible', timeout: 10000 });

    const rows = '#sessions tbody tr';
    await page.waitForSelector('#sessions-next:not([disabled])', { timeout: 15000 });
    const firstRows = await page.locator(rows).count();
    console.log(`first page ${firstRows} ${await page.textContent('#sessions-count')}`);

    await page.click('#sessions-next');
    const past = `${rows}[data-client-id="${pastFirstPage}"]`;
    await page.waitForSelector(past, { timeout: 15000 });
    console.log(`next page ${await page.locator(rows).count()}`);
    console.log(`seen ${await page.getAttribute(`${rows} >> nth=0`, 'data-client-id')}`);

    const row = `${rows}[data-client-id="${victim}"]`;
    await page.waitForSelector(row, { timeout: 15000 });
    // Cancelled at the confirmation: nothing happens, and the next refresh of the table (which
    // replaces the marked row) still lists the session.
    await page.$eval(row, (r) => { r.dataset.marked = 'before cancel'; });
    answer = 'dismiss';
    await page.click(`${row} button[data-action=delete]`);
    if (question === null) {
      throw new Error('Delete asked no confirmation');
    }
    await page.waitForSelector(`${row}[data-marked]`, { state: 'detached', timeout: 10000 });
    await page.waitForSelector(row, { timeout: 5000 });
    console.log('kept after cancel');

    answer = 'accept';
    question = null;
    await page.click(`${row} button[data-action=delete]`);
    await page.waitForSelector(row, { state: 'detached', timeout: 15000 });
    console.log(`deleted ${question}`);

    // The queue that grows: largest queues first, then its Purge button.
    await page.selectOption('#sessions-order', 'queued');
    await page.waitForFunction((b) => {
      const first = document.querySelector('#sessions tbody tr');
      return first !== null && first.dataset.clientId === b;
    }, busy, { timeout: 15000 });
    const busyRow = `${rows}[data-client-id="${busy}"]`;
    console.log(`largest first ${busy} ${await page.textContent(`${busyRow} td:nth-child(3)`)}`);
    await page.click(`${busyRow} button[data-action=purge]`);
    await page.waitForFunction((b) => {
      const row = document.querySelector(`#sessions tbody tr[data-client-id="${b}"]`);
      return row !== null && row.cells[2].textContent === '0';
    }, busy, { timeout: 15000 });
    console.log('purged');
  } finally {
    await browser.close();
  }
  console.log('errors ' + errors.length);
  errors.forEach((e) => console.log(e));
})().catch((e) => {
  console.log('error ' + e.message.split('\n')[0]);
  process.exitCode = 1;
});
