// The bundled site's Simplified Chinese edition in headless Chromium: every page in Chinese
// with no accessibility violation, search in Chinese from a Chinese page (a drug's generic
// and brand names, a symptom), and the language switcher at the section being read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, launch, openPage, axe } from './lib.mjs';

const PAGES = ['/', '/hemophagocytic-syndrome/', '/monographs/', '/monographs/immune-checkpoint-inhibitors/',
  '/monographs/ibrutinib/', '/monographs/lamotrigine/', '/bedside/', '/bedside/first-24-hours/',
  '/bedside/treatment/', '/calculators/', '/calculators/hscore/', '/calculators/hlh-2004/', '/calculators/ohi/', '/glossary/',
  '/references/', '/drugs/', '/drugs/lamotrigine/', '/search/'];

let browser, srv;
before(async () => { srv = await serveSite(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

for (const p of PAGES) {
  test(`zh-hans${p}: in Chinese, no external requests, no errors, zero axe violations`, async () => {
    const { page, context, external, failures } = await openPage(browser, `${srv.base}/zh-hans${p}`);
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
      assert.match(await page.textContent('h1'), /\p{Script=Han}/u, 'a Chinese title');
      assert.deepEqual(external, []);
      assert.deepEqual(failures, []);
      assert.deepEqual(await axe(page), [], 'axe violations');
    } finally { await context.close(); }
  });
}

// From a Chinese page the search box searches the Chinese edition.
for (const [query, expected] of [['伊布替尼', '/zh-hans/monographs/ibrutinib/'], ['亿珂', '/zh-hans/monographs/ibrutinib/'],
  ['拉莫三嗪', '/zh-hans/monographs/lamotrigine/'], ['帕博利珠单抗', '/zh-hans/monographs/immune-checkpoint-inhibitors/'],
  ['发热', '/zh-hans/bedside/first-24-hours/'], ['血细胞减少', '/zh-hans/hemophagocytic-syndrome/']]) {
  test(`zh-hans: searching "${query}" finds ${expected}`, async () => {
    const { page, context, failures } = await openPage(browser, `${srv.base}/zh-hans/`);
    try {
      await page.fill('#search-input', query);
      await page.waitForSelector('#search-results li a', { timeout: 10000 });
      const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(hrefs.some((h) => h.endsWith(expected)), `${query}: ${hrefs.join(', ')}`);
      assert.ok(hrefs.every((h) => h.includes('/zh-hans/')), `only Chinese pages: ${hrefs.join(', ')}`);
      assert.deepEqual(failures, []);
    } finally { await context.close(); }
  });
}

test('the switcher takes a reader of the Chinese work-up to the English work-up, and back', async () => {
  const { page, context, failures } = await openPage(browser, `${srv.base}/zh-hans/bedside/first-24-hours/#work-up`);
  try {
    await page.click('.languages a[hreflang="en"]');
    await page.waitForURL('**/bedside/first-24-hours/#work-up');
    assert.ok(!page.url().includes('/zh-hans/'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('#work-up'), /^Work-up/);
    await page.click('.languages a[hreflang="zh-Hans"]');
    await page.waitForURL('**/zh-hans/bedside/first-24-hours/#work-up');
    assert.match(await page.textContent('#work-up'), /\p{Script=Han}/u);
    assert.deepEqual(failures, []);
  } finally { await context.close(); }
});
