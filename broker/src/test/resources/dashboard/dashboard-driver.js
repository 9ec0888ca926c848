// Drives the dashboard in headless Chromium (npm "playwright-core"), run by DashboardIT.
// argv: the mode, the admin listener's base URL, the admin token, the Chromium executable, then
// the mode's own arguments. Prints "login shown" and "signed in", one line per step of the mode,
// then "errors N" with each console error, CSP report or failed request after it; "error ..."
// and exit 1 when a step fails.
//
// charts CLIENT SCREENSHOT: "client seen", "charts moving IN SAMPLES_BEFORE SAMPLES_AFTER",
//   "screenshot" (written to SCREENSHOT), "disconnected" (CLIENT, from the client table).
// sessions PAST_FIRST_PAGE VICTIM BUSY: "first page ROWS COUNT_TEXT", "next page ROWS",
//   "seen FIRST_ROW" (the next page's first session), "kept after cancel", "deleted QUESTION"
//   (VICTIM, confirmed), "largest first BUSY QUEUED" (ordered by queue), "purged" (BUSY's queue 0).
const { chromium } = require('playwright-core');

const [mode, base, token, executable, ...args] = process.argv.slice(2);

async function charts(page, victim, screenshot) {
  const row = `#clients tbody tr[data-client-id="${victim}"]`;
  await page.waitForSelector(row, { timeout: 15000 });
  console.log('client seen');

  // The load runs: the messages-in figure goes above 0 and the charts take new points.
  await page.waitForFunction(() => Number(document.getElementById('fig-in').textContent) > 0
    && Number(document.getElementById('board').dataset.samples) >= 3, null, { timeout: 20000 });
  const before = Number(await page.getAttribute('#board', 'data-samples'));
  await page.waitForFunction((n) => Number(document.getElementById('board').dataset.samples) >= n + 2,
    before, { timeout: 10000 });
  const after = Number(await page.getAttribute('#board', 'data-samples'));
  const rate = await page.textContent('#fig-in');
  console.log(`charts moving ${rate} ${before} ${after}`);

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('screenshot');

  await page.click(`${row} button`);
  await page.waitForSelector(row, { state: 'detached', timeout: 15000 });
  console.log('disconnected');
}

async function sessions(page, dialogs, pastFirstPage, victim, busy) {
  const rows = '#sessions tbody tr';
  await page.waitForSelector('#sessions-next:not([disabled])', { timeout: 15000 });
  console.log(`first page ${await page.locator(rows).count()} ${await page.textContent('#sessions-count')}`);

  await page.click('#sessions-next');
  await page.waitForSelector(`${rows}[data-client-id="${pastFirstPage}"]`, { timeout: 15000 });
  console.log(`next page ${await page.locator(rows).count()}`);
  console.log(`seen ${await page.getAttribute(`${rows} >> nth=0`, 'data-client-id')}`);

  const row = `${rows}[data-client-id="${victim}"]`;
  await page.waitForSelector(row, { timeout: 15000 });
  // Cancelled at the confirmation: nothing happens, and the next refresh of the table (which
  // replaces the marked row) still lists the session.
  await page.$eval(row, (r) => { r.dataset.marked = 'before cancel'; });
  dialogs.answer = 'dismiss';
  await page.click(`${row} button[data-action=delete]`);
  if (dialogs.question === null) {
    throw new Error('Delete asked no confirmation');
  }
  await page.waitForSelector(`${row}[data-marked]`, { state: 'detached', timeout: 10000 });
  await page.waitForSelector(row, { timeout: 5000 });
  console.log('kept after cancel');

  dialogs.answer = 'accept';
  dialogs.question = null;
  await page.click(`${row} button[data-action=delete]`);
  await page.waitForSelector(row, { state: 'detached', timeout: 15000 });
  console.log(`deleted ${dialogs.question}`);

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
    const r = document.querySelector(`#sessions tbody tr[data-client-id="${b}"]`);
    return r !== null && r.cells[2].textContent === '0';
  }, busy, { timeout: 15000 });
  console.log('purged');
}

(async () => {
  const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push('answer: ' + r.status() + ' ' + r.url()); });
    page.on('pageerror', (e) => errors.push('page: ' + e.message));
    // Confirmations are accepted unless a step says otherwise; the last question is kept.
    const dialogs = { answer: 'accept', question: null };
    page.on('dialog', (d) => {
      dialogs.question = d.message();
      return dialogs.answer === 'accept' ? d.accept() : d.dismiss();
    });
    await page.goto(base + '/');
    await page.waitForSelector('#login', { state: 'visible', timeout: 10000 });
    console.log('login shown');

    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#board', { state: 'visible', timeout: 10000 });
    await page.waitForSelector('#login', { state: 'hidden', timeout: 10000 });
    console.log('signed in');

    if (mode === 'charts') {
      await charts(page, ...args);
    } else if (mode === 'sessions') {
      await sessions(page, dialogs, ...args);
    } else {
      throw new Error('unknown mode ' + mode);
    }
  } finally {
    await browser.close();
  }
  console.log('errors ' + errors.length);
  errors.forEach((e) => console.log(e));
})().catch((e) => {
  console.log('error ' + e.message.split('\n')[0]);
  process.exitCode = 1;
});
