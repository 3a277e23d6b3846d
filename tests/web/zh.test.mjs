// A site in Simplified Chinese (tests/fixtures/zh-site, built by scripts/test): the default
// theme's words and its scripts' words in Chinese, no accessibility violation, and search
// that finds Chinese words inside Chinese sentences (Pagefind's word segmentation).
// Skipped unless ZH_SITE_DIR names the built site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, launch, openPage, axe } from './lib.mjs';

const DIR = process.env.ZH_SITE_DIR;
const PAGES = ['/', '/monographs/', '/monographs/test-drug/', '/en/monographs/test-drug/', '/about/', '/drugs/', '/references/', '/search/', '/nonexistent/'];

let browser, srv;
before(async () => { if (DIR) { srv = await serveSite(DIR); browser = await launch(); } });
after(async () => { await browser?.close(); await srv?.close(); });

for (const p of PAGES) {
  test(`zh-Hans ${p}: Chinese <html lang>, no errors, zero axe violations`, { skip: !DIR }, async () => {
    const { page, context, external, failures } = await openPage(browser, srv.base + p);
    try {
      assert.equal(await page.getAttribute('html', 'lang'), p.startsWith('/en/') ? 'en' : 'zh-Hans');
      assert.deepEqual(external, []);
      assert.deepEqual(failures, []);
      assert.deepEqual(await axe(page), [], 'axe violations');
    } finally { await context.close(); }
  });
}

test('zh-Hans: the scripts speak Chinese (copy buttons, the accessed date, no results)', { skip: !DIR }, async () => {
  const { page, context, failures } = await openPage(browser, srv.base + '/monographs/test-drug/');
  try {
    const buttons = await page.$$eval('.cite-page .copy-button', (bs) => bs.map((b) => b.textContent));
    assert.ok(buttons.length > 0, 'no copy buttons');
    assert.deepEqual([...new Set(buttons)], ['复制']);
    const ama = await page.$eval('.cite-ama', (p) => p.textContent);
    assert.match(ama, /访问日期：\d{4}年\d{1,2}月\d{1,2}日。/, ama);
    await page.fill('#search-input', 'zzzzqqq');
    await page.waitForFunction(() => document.getElementById('search-results').textContent.length > 0);
    assert.equal(await page.textContent('#search-results'), '没有结果。请尝试通用名或商品名。');
    assert.deepEqual(failures, []);
  } finally { await context.close(); }
});

// The page's sentence has no spaces: only segmentation makes a drug or a symptom found in
// the middle of it.
for (const query of ['拉莫三嗪', '发热', '血细胞减少']) {
  test(`zh-Hans: searching "${query}" finds the page that mentions it mid-sentence`, { skip: !DIR }, async () => {
    const { page, context, failures } = await openPage(browser, srv.base + '/');
    try {
      await page.fill('#search-input', query);
      await page.waitForSelector('#search-results a');
      const hrefs = await page.$$eval('#search-results a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(hrefs.includes('/kb/monographs/test-drug/'), `${query}: ${hrefs.join(', ')}`);
      assert.deepEqual(failures, []);
    } finally { await context.close(); }
  });
}

test('the language switcher leads to the same page in the other language, and back', { skip: !DIR }, async () => {
  const { page, context, failures } = await openPage(browser, srv.base + '/monographs/test-drug/');
  try {
    await page.click('.languages a[hreflang="en"]');
    await page.waitForURL('**/en/monographs/test-drug/');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'Test drug monograph');
    await page.click('.languages a[hreflang="zh-Hans"]');
    await page.waitForURL(/\/kb\/monographs\/test-drug\/$/);
    assert.equal(await page.textContent('h1'), '测试药物专论');
    assert.deepEqual(failures, []);
  } finally { await context.close(); }
});

test('the switcher opens the other language at the section being read', { skip: !DIR }, async () => {
  const { page, context, failures } = await openPage(browser, srv.base + '/monographs/test-drug/#说明');
  try {
    await page.click('.languages a[hreflang="en"]');
    await page.waitForURL('**/en/monographs/test-drug/**');
    assert.equal(decodeURIComponent(new URL(page.url()).hash), '#说明');
    assert.match(await page.evaluate(() => document.getElementById('说明').textContent), /^Notes\b/);
    assert.deepEqual(failures, []);
  } finally { await context.close(); }
});
