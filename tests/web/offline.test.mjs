// Offline reading in real headless Chromium: after one visit, the service worker serves
// pages never opened, the calculators and search with the network gone, says so plainly
// where it has nothing saved, and shows the saved copy when the network is only slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SITE_DIR, PREFIX, serveSite, launch, calculatorFragment, axe } from './lib.mjs';

const VECTORS = JSON.parse(await fs.readFile(new URL('../calculators/vectors.json', import.meta.url), 'utf8')).cases;

/** Serves the built site in `dir`, visits its home page once, waits until the service
 *  worker controls it (its install, which saves the site, precedes that), runs `body`. */
async function afterOneVisit(dir, body) {
  const srv = await serveSite(dir);
  const browser = await launch();
  // No request routing here: Playwright's routes would bypass the service worker.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(srv.base + '/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    await body({ srv, context, page });
  } finally {
    await context.close();
    await browser.close();
    await srv.close();
  }
}

test('after one visit the site works offline (unvisited pages, a calculator, search) and on a slow network', async () => {
  await afterOneVisit(SITE_DIR, async ({ srv, context, page }) => {
    assert.equal(await page.locator('#offline-note').count(), 0, 'no offline note while online');

    srv.network('down');
    await context.setOffline(true);

    const monograph = await page.goto(srv.base + '/monographs/lamotrigine/');
    assert.equal(monograph.status(), 200);
    assert.match(await page.locator('h1').textContent(), /Lamotrigine/);
    assert.match(await page.locator('#offline-note').textContent(), /You are reading the copy saved on this device/);
    assert.deepEqual(await axe(page), [], 'axe violations with the notice shown');

    const v = VECTORS.find((c) => c.calculator === 'hscore' && c.expect && c.expect.score >= 169);
    assert.ok(v, 'a vector above the HScore cut-off');
    await page.goto('about:blank');
    await page.goto(`${srv.base}/calculators/hscore/#${calculatorFragment(v.input)}`);
    const score = page.locator('section.calculator[data-calculator="hscore"] [data-result="score"]');
    assert.equal((await score.textContent()).trim(), String(v.expect.score));

    await page.goto(srv.base + '/');
    await page.fill('#search-input', 'Lamictal');
    await page.waitForSelector('#search-results li a', { timeout: 10000 });
    const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname));
    assert.ok(hrefs.includes(`${PREFIX}/monographs/lamotrigine/`), hrefs.join(', '));

    const missing = await page.goto(srv.base + '/never-built/');
    assert.equal(missing.status(), 503);
    assert.match(await page.locator('h1').textContent(), /You are offline/);

    // Online, but the server does not answer: the saved copy after a few seconds, said so.
    await context.setOffline(false);
    srv.network('slow');
    const started = Date.now();
    const slow = await page.goto(srv.base + '/about/');
    assert.equal(slow.status(), 200);
    assert.ok(Date.now() - started < 10000, `the saved copy took ${Date.now() - started} ms`);
    await page.waitForSelector('#offline-note');

    // Network back: the current page, from the network, with no notice. (Another page:
    // Chromium holds a second request for /about/ until the unanswered one ends.)
    srv.network('up');
    await page.goto(srv.base + '/glossary/');
    assert.equal(await page.locator('#offline-note').count(), 0);
  });
});

test('a new build replaces the saved copy: its worker takes over and deletes the old files', async () => {
  // A copy of the built site, changed in place the way a rebuild would change it.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hpskb-offline-'));
  await fs.cp(SITE_DIR, dir, { recursive: true });
  await afterOneVisit(dir, async ({ srv, context, page }) => {
    const before = await page.evaluate(() => caches.keys());
    assert.equal(before.length, 1, before.join(', '));

    const about = path.join(dir, 'about', 'index.html');
    const html = await fs.readFile(about, 'utf8');
    await fs.writeFile(about, html.replace(/<h1([^>]*)>[^<]*<\/h1>/, '<h1$1>About, revised</h1>'));
    const worker = path.join(dir, 'sw.js');
    const sw = await fs.readFile(worker, 'utf8');
    await fs.writeFile(worker, sw.replace(/var VERSION = "([0-9a-f]+)";/, 'var VERSION = "$1-2";'));

    await page.evaluate(() => new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true });
      navigator.serviceWorker.getRegistration().then((r) => r.update());
    }));
    await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), before[0]);
    srv.network('down');
    await context.setOffline(true);
    await page.goto(srv.base + '/about/');
    assert.equal(await page.locator('h1').textContent(), 'About, revised');
  }).finally(() => fs.rm(dir, { recursive: true, force: true }));
});

test("the preview's retiring worker removes a worker a build left, and its saved copies", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hpskb-offline-'));
  await fs.cp(SITE_DIR, dir, { recursive: true });
  await afterOneVisit(dir, async ({ page }) => {
    assert.equal((await page.evaluate(() => caches.keys())).length, 1);
    // What `hpskb serve` answers for sw.js (src/offline/retire.js, read from the source).
    await fs.copyFile(new URL('../../src/offline/retire.js', import.meta.url), path.join(dir, 'sw.js'));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForFunction(() => navigator.serviceWorker.getRegistrations()
      .then((regs) => caches.keys().then((keys) => regs.length === 0 && keys.length === 0)));
  }).finally(() => fs.rm(dir, { recursive: true, force: true }));
});
