// Drives the dashboard in headless Chromium (npm "playwright-core"), run by DashboardIT.
// argv: the admin listener's base URL, the admin token, the client id to disconnect, the Chromium
// executable, and the file to write a screenshot to. Prints one line per step:
// "login shown", "signed in", "client seen", "charts moving IN SAMPLES_BEFORE SAMPLES_AFTER",
// "screenshot", "disconnected", then "errors N" with each console error, CSP report or failed request after it;
// "error ..." and exit 1 when a step fails.
const { chromium } = require('playwright-core');

const [base, token, victim, executable, screenshot] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push('answer: ' + r.status() + ' ' + r.url()); });
    page.on('pageerror', (e) => errors.push('page: ' + e.message));
    page.on('dialog', (d) => d.accept());
    await page.goto(base + '/');
    await page.waitForSelector('#login', { state: 'visible', timeout: 10000 });
    console.log('login shown');

    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#board', { state: 'visible', timeout: 10000 });
    await page.waitForSelector('#login', { state: 'hidden', timeout: 10000 });
    console.log('signed in');

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
  } finally {
    await browser.close();
  }
  console.log('errors ' + errors.length);
  errors.forEach((e) => console.log(e));
})().catch((e) => {
  console.log('error ' + e.message.split('\n')[0]);
  process.exitCode = 1;
});
