// A page in headless Chromium (driven by npm "playwright-core"), run by WebSocketClientsIT: the
// page, served as http://hmi.localhost/ (answered here, never from the network), loads MQTT.js's
// browser bundle, connects to argv[2] (ws://), subscribes to argv[3] at QoS 1 and prints
// "subscribed 1", then "message TOPIC PAYLOAD" for the first message, and exits 0. A connection
// the broker refuses prints "error ..." and exits 1. argv[4] is the Chromium executable; argv[5],
// when given, is the base64 SHA-256 of a wss server certificate's public key (SPKI) that Chromium
// accepts although no CA it trusts signed it (--ignore-certificate-errors-spki-list).
const path = require('path');
const { chromium } = require('playwright-core');

const [url, topic, executable, spki] = process.argv.slice(2);
const ORIGIN = 'http://hmi.localhost';

(async () => {
  // Chromium asks the user before a page from elsewhere reaches a loopback address (Local
  // Network Access); the test's broker is on 127.0.0.1, so the check is off.
  const args = ['--no-sandbox', '--disable-features=LocalNetworkAccessChecks'];
  if (spki) {
    args.push('--ignore-certificate-errors-spki-list=' + spki);
  }
  const browser = await chromium.launch({ executablePath: executable, args });
  try {
    const page = await browser.newPage();
    const bundle = path.join(path.dirname(require.resolve('mqtt/package.json')), 'dist', 'mqtt.min.js');
    await page.route(ORIGIN + '/**', (route) => {
      if (route.request().url().endsWith('/mqtt.min.js')) {
        return route.fulfill({ path: bundle, contentType: 'text/javascript' });
      }
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>HMI</title><script src="/mqtt.min.js"></script>',
      });
    });
    await page.goto(ORIGIN + '/');
    const subscribed = await page.evaluate(([u, t]) => new Promise((resolve) => {
      const client = mqtt.connect(u, { reconnectPeriod: 0, connectTimeout: 5000 });
      window.received = new Promise((got) => client.on('message', (mt, p) => got(mt + ' ' + p.toString())));
      client.on('error', (e) => resolve('error ' + e.message));
      client.on('close', () => resolve('error closed'));
      client.on('connect', () => client.subscribe(t, { qos: 1 }, (err, granted) =>
        resolve(err ? 'error ' + err.message : 'subscribed ' + granted.map((g) => g.qos).join(','))));
    }), [url, topic]);
    console.log(subscribed);
    if (!subscribed.startsWith('subscribed')) {
      process.exitCode = 1;
      return;
    }
    console.log('message ' + await page.evaluate(() => window.received));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('error ' + e.message);
  process.exitCode = 1;
});
