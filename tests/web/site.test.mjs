// The built bundled site in real headless Chromium: budgets, accessibility, search,
// print, keyboard use, responsive layout and the sitemap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import path from 'node:path';
import { SITE_DIR, PREFIX, serveSite, launch, openPage, sitemapPaths, axe } from './lib.mjs';

const PAGE_TYPES = {
  home: '/',
  overview: '/hemophagocytic-syndrome/',
  section: '/monographs/',
  monograph: '/monographs/lamotrigine/',
  calculator: '/calculators/hscore/',
  calculator2: '/calculators/hlh-2004/',
  references: '/references/',
  glossary: '/glossary/',
  drugs: '/drugs/',
  drug: '/drugs/lamotrigine/',
  search: '/search/',
  about: '/about/',
  notFound: '/nonexistent/',
  bedsideSection: '/bedside/',
  bedside: '/bedside/first-24-hours/',
  guidance: '/bedside/treatment/',
};
const MONOGRAPHS = ['/monographs/immune-checkpoint-inhibitors/', '/monographs/ibrutinib/', '/monographs/lamotrigine/'];
const BEDSIDE = ['/bedside/first-24-hours/', '/bedside/treatment/', '/bedside/differential-diagnosis/', '/bedside/guidelines/'];

let browser, srv;
before(async () => { srv = await serveSite(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });


for (const [name, p] of Object.entries(PAGE_TYPES)) {
  for (const scheme of ['light', 'dark']) {
    test(`${name} page (${scheme}): no external requests, no errors, zero axe violations`, async () => {
      const { page, context, external, failures } = await openPage(browser, srv.base + p, { colorScheme: scheme });
      try {
        assert.deepEqual(external, [], 'requests left the site');
        assert.deepEqual(failures, [], 'failed requests or script errors');
        assert.deepEqual(await axe(page), [], 'axe violations');
      } finally { await context.close(); }
    });
  }
}

// Page weight as a static host transfers it: each HTML, CSS and JS response gzip-compressed
// (level 6, what common hosts use), summed. Search assets load only on use and are not
// counted. The budget holds for every monograph and every bedside page; the longest, the
// ICI monograph of the second edition, transfers about 41 KB.
const BUDGET_KB = 48;
const WEIGHED = [...MONOGRAPHS, ...BEDSIDE];
for (const p of WEIGHED) {
  test(`${p} transfers under ${BUDGET_KB} KB of compressed HTML+CSS+JS`, async () => {
    const { page, context } = await openPage(browser, null);
    const sizes = new Map();
    page.on('response', async (res) => {
      const u = res.url();
      if (u.includes('/pagefind/') || u.endsWith('search-terms.json') || !/\.(css|js)$|\/$/.test(new URL(u).pathname)) return;
      const body = await res.body().catch(() => null);
      if (body) sizes.set(u, { raw: body.length, gzip: zlib.gzipSync(body, { level: 6 }).length });
    });
    try {
      const res = await page.goto(srv.base + p, { waitUntil: 'networkidle' });
      assert.equal(res.status(), 200, `${p} exists`);
      const urls = [...sizes.keys()];
      assert.ok(urls.some((u) => u.endsWith('.css')), 'stylesheet loaded');
      assert.ok(!urls.some((u) => u.includes('pagefind')), 'search assets must load only on use');
      const gzip = [...sizes.values()].reduce((n, s) => n + s.gzip, 0);
      const raw = [...sizes.values()].reduce((n, s) => n + s.raw, 0);
      assert.ok(raw > 5000, `measured ${raw} bytes`);
      assert.ok(gzip < BUDGET_KB * 1024, `${p} transfers ${gzip} bytes compressed (${raw} uncompressed)`);
      if (process.env.SHOW_WEIGHTS) console.log(`weight ${p}: ${gzip} bytes compressed, ${raw} uncompressed`);
    } finally { await context.close(); }
  });
}

async function searchFor(query) {
  const { page, context, external } = await openPage(browser, srv.base + '/');
  try {
    await page.fill('#search-input', query);
    await page.waitForSelector('#search-results li a', { timeout: 10000 });
    const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname));
    assert.deepEqual(external, []);
    return hrefs;
  } finally { await context.close(); }
}

for (const [query, expected] of [
  ['Lamictal', '/monographs/lamotrigine/'],
  ['Imbruvica', '/monographs/ibrutinib/'],
  ['Keytruda', '/monographs/immune-checkpoint-inhibitors/'],
  ['pembrolizumab', '/monographs/immune-checkpoint-inhibitors/'],
  // Chinese generic and brand names ([search_synonyms] in config.toml).
  ['拉莫三嗪', '/monographs/lamotrigine/'],
  ['伊布替尼', '/monographs/ibrutinib/'],
  ['可瑞达', '/monographs/immune-checkpoint-inhibitors/'],
  ['噬血细胞综合征', '/hemophagocytic-syndrome/'],
]) {
  test(`search for the name "${query}" finds ${expected}`, async () => {
    const hrefs = await searchFor(query);
    assert.ok(hrefs.includes(PREFIX + expected), `${query} → ${hrefs.join(', ')}`);
  });
}

for (const [query, expected] of [['Lamictl', '/monographs/lamotrigine/'], ['ibrutnib', '/monographs/ibrutinib/'], ['Imbruvca', '/monographs/ibrutinib/']]) {
  test(`misspelled search "${query}" still finds ${expected}`, async () => {
    const hrefs = await searchFor(query);
    assert.ok(hrefs.includes(PREFIX + expected), `${query} → ${hrefs.join(', ')}`);
  });
}

test('search is usable by keyboard alone', async () => {
  const { page, context } = await openPage(browser, srv.base + PAGE_TYPES.overview);
  try {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'search-input')) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
    await page.keyboard.type('lamotrigine');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#search-results li a');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.closest('#search-results') !== null);
    assert.ok(focused, 'a search result can be reached with Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kb\/(monographs|drugs|glossary|hemophagocytic|calculators|about|references)/);
  } finally { await context.close(); }
});

test('print emulation hides navigation and prints reference URLs', async () => {
  const { page, context } = await openPage(browser, srv.base + PAGE_TYPES.monograph);
  try {
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.site-header', '.site-footer', 'nav.toc', '.search']) {
      const display = await page.$eval(sel, (e) => getComputedStyle(e).display).catch(() => 'absent');
      assert.ok(display === 'none' || display === 'absent', `${sel} is ${display} in print`);
    }
    const after = await page.$eval('.ref-links a[href^="https"]', (a) => getComputedStyle(a, '::after').content);
    assert.match(after, /https?:/, 'reference URLs are printed');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000);
  } finally { await context.close(); }
});

test('pages fit a 320 px wide screen without horizontal scrolling', async () => {
  for (const p of [PAGE_TYPES.home, PAGE_TYPES.calculator, PAGE_TYPES.section, ...MONOGRAPHS, ...BEDSIDE]) {
    const { page, context } = await openPage(browser, srv.base + p, { viewport: { width: 320, height: 640 } });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${p} overflows by ${overflow}px at 320px`);
    } finally { await context.close(); }
  }
});

test('the sitemap lists every page and only existing pages', async () => {
  // Paths are percent-encoded in the sitemap (Chinese class names); files are named as written.
  const listed = new Set((await sitemapPaths()).map(decodeURIComponent));
  for (const p of listed) {
    assert.ok(p.startsWith(PREFIX + '/'), p);
    const file = path.join(SITE_DIR, p.slice(PREFIX.length), 'index.html');
    await fs.access(file).catch(() => assert.fail(`sitemap lists ${p} but ${file} does not exist`));
  }
  const pages = [];
  async function walk(dir) {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.name === 'index.html') pages.push(full);
    }
  }
  await walk(SITE_DIR);
  for (const file of pages) {
    const html = await fs.readFile(file, 'utf8');
    if (html.includes('http-equiv="refresh"')) continue; // alias redirects are not pages
    const url = PREFIX + '/' + path.relative(SITE_DIR, path.dirname(file)).split(path.sep).join('/');
    const key = url.endsWith('/') ? url : url + '/';
    assert.ok(listed.has(key.replace(/\/\/$/, '/')), `${key} is missing from the sitemap`);
  }
});

test('every page has canonical URL, description, Open Graph tags and JSON-LD where expected', async () => {
  const { page, context } = await openPage(browser, srv.base + PAGE_TYPES.monograph);
  try {
    const meta = await page.evaluate(() => ({
      canonical: document.querySelector('link[rel=canonical]')?.href,
      description: document.querySelector('meta[name=description]')?.content,
      ogTitle: document.querySelector('meta[property="og:title"]')?.content,
      ld: JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent),
    }));
    assert.match(meta.canonical, /\/monographs\/lamotrigine\/$/);
    assert.ok(meta.description.length > 20);
    assert.ok(meta.ogTitle.length > 3);
    assert.equal(meta.ld['@type'], 'MedicalWebPage');
    assert.match(meta.ld.lastReviewed, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(meta.ld.about[0]['@type'], 'Drug');
  } finally { await context.close(); }
});
