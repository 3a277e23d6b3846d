// Offline reading in real headless Chromium: after one visit, the service worker serves
// pages never opened, the calculators and search with the server gone and the browser
// offline, and says so plainly where it has nothing saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { PREFIX, serveSite, launch, calculatorFragment } from './lib.mjs';

const VECTORS = JSON.parse(await fs.readFile(new URL('../calculators/vectors.json', import.meta.url), 'utf8')).cases;

test('after one visit the site works offline: unvisited pages, a calculator, search', async () => {
  const srv = await serveSite();
  const browser = await launch();
  // No request routing here: Playwright's routes would bypass the service worker.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(srv.base + '/');
    // A controlling worker has finished saving the site (install precedes activation).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    assert.equal(await page.locator('#offline-note').count(), 0, 'no offline note while online');

    await srv.close();
    await context.setOffline(true);

    const monograph = await page.goto(srv.base + '/monographs/lamotrigine/');
    assert.equal(monograph.status(), 200);
    assert.match(await page.locator('h1').textContent(), /Lamotrigine/);
    assert.match(await page.locator('#offline-note').textContent(), /Offline: you are reading the copy saved on this device/);

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

    await page.goto(srv.base + '/about/');
    await context.setOffline(false);
    await page.waitForFunction(() => !document.getElementById('offline-note'));
  } finally {
    await context.close();
    await browser.close();
    await srv.close();
  }
});
