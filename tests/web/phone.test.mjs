// What a reader sees on a phone (320 and 390 px) and a desktop (1280 px), in headless
// Chromium: navigation, long pages, wide tables, references and terms in place, print.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX, serveSite, launch, openPage, axe } from './lib.mjs';

const WIDTHS = [320, 390, 1280];
const HEIGHT = { 320: 640, 390: 844, 1280: 800 };
const MONOGRAPHS = ['/monographs/immune-checkpoint-inhibitors/', '/monographs/ibrutinib/', '/monographs/lamotrigine/'];
const BEDSIDE = ['/bedside/first-24-hours/', '/bedside/treatment/', '/bedside/differential-diagnosis/', '/bedside/guidelines/'];
const LONG_PAGES = [...MONOGRAPHS, ...BEDSIDE];
const SECTIONS = ['/hemophagocytic-syndrome/', '/monographs/', '/bedside/', '/calculators/', '/references/', '/glossary/'];

let browser, srv;
before(async () => { srv = await serveSite(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

async function at(width, p, fn, options = {}) {
  const { page, context, failures } = await openPage(browser, srv.base + p, { viewport: { width, height: HEIGHT[width] }, ...options });
  try { await fn(page); assert.deepEqual(failures, [], 'failed requests or script errors'); } finally { await context.close(); }
}

/** Whether the element is rendered and lies wholly inside the viewport horizontally. */
const onScreen = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && r.left >= 0 && r.right <= innerWidth + 0.5;
};

for (const width of WIDTHS) {
  test(`navigation at ${width} px: every top-level section and search is visible or one tap away`, async () => {
    for (const p of ['/', '/monographs/lamotrigine/']) {
      await at(width, p, async (page) => {
        const visible = () => page.evaluate(([sections, prefix, onScreenSrc]) => {
          const onScreen = eval(onScreenSrc);
          return sections.filter((s) => [...document.querySelectorAll('.site-nav a')].some((a) => new URL(a.href).pathname === prefix + s && onScreen(a)));
        }, [SECTIONS, PREFIX, onScreen.toString()]);
        assert.ok(await page.isVisible('#search-input'), 'the search box is visible');
        let shown = await visible();
        if (shown.length < SECTIONS.length) {
          assert.ok(width < 1280, `at ${width} px the whole menu must show: ${shown}`);
          const toggle = page.locator('.menu-toggle');
          assert.ok(await toggle.isVisible(), `hidden sections ${SECTIONS.filter((s) => !shown.includes(s))} need a visible Menu button`);
          const box = await toggle.boundingBox();
          assert.ok(box.height >= 44 && box.width >= 44, `Menu button is ${box.width}×${box.height}`);
          assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
          await toggle.click();
          assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
          shown = await visible();
        }
        assert.deepEqual(shown, SECTIONS, `${p}: sections on screen after at most one tap`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(overflow <= 0, `${p} overflows by ${overflow}px`);
      });
    }
  });

  test(`home page at ${width} px: bedside guidance, monographs and calculators are above the fold`, async () => {
    await at(width, '/', async (page) => {
      for (const s of ['/bedside/', '/monographs/', '/calculators/']) {
        const bottom = await page.evaluate((href) => {
          const a = [...document.querySelectorAll('main a')].find((x) => new URL(x.href).pathname === href);
          return a ? a.getBoundingClientRect().bottom : Infinity;
        }, PREFIX + s);
        assert.ok(bottom <= HEIGHT[width], `${s} link ends at ${bottom}px, the fold is at ${HEIGHT[width]}px`);
      }
    });
  });

  test(`long pages at ${width} px: the contents are one tap away from anywhere`, async () => {
    for (const p of LONG_PAGES) {
      await at(width, p, async (page) => {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight * 0.7));
        const jump = page.locator('.contents-jump');
        const box = await jump.boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= HEIGHT[width] && box.x + box.width <= width, `${p}: Contents control on screen (${JSON.stringify(box)})`);
        assert.ok(box.height >= 44, `${p}: Contents control is ${box.height}px high`);
        await jump.click();
        const top = await page.$eval('#page-contents', (e) => e.getBoundingClientRect().top);
        assert.ok(top >= -1 && top < HEIGHT[width] / 2, `${p}: contents at ${top}px after one tap`);
      });
    }
  });
}

test('returning from a reference to the citation is one tap on a visible back-link', async () => {
  for (const p of MONOGRAPHS) {
    await at(390, p, async (page) => {
      const [cite, ref] = await page.$eval('.content sup.cite a', (a) => [a.id, a.getAttribute('href')]);
      await page.goto(srv.base + p + ref);
      const back = page.locator(`${ref} .backlinks a[href="#${cite}"]`);
      const box = await back.boundingBox();
      assert.ok(box && box.width >= 24 && box.height >= 24, `${p}: back-link ${JSON.stringify(box)}`);
      await back.click();
      const y = await page.$eval(`#${cite}`, (e) => e.getBoundingClientRect().top);
      assert.ok(y >= 0 && y < 844, `${p}: citation ${cite} on screen after one tap (at ${y}px)`);
    });
  }
});

test('wide tables at 320 px: no clipped cell, a visible scroll cue, a sticky first column, no page overflow', async () => {
  let scrolling = 0;
  for (const p of LONG_PAGES) {
    await at(320, p, async (page) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${p} overflows the page by ${overflow}px`);
      const tables = await page.$$eval('.content table', (ts) => ts.filter((t) => !t.closest('.calculator')).map((t) => {
        const box = t.parentElement;
        const clipped = [...t.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent.slice(0, 40));
        const wide = t.getBoundingClientRect().width > box.clientWidth + 1;
        const cue = getComputedStyle(box, '::before').content;
        box.scrollLeft = box.scrollWidth;
        const first = t.querySelector('tr > :first-child').getBoundingClientRect().left - box.getBoundingClientRect().left;
        return { clipped, wide, scrolls: getComputedStyle(box).overflowX === 'auto' && box.classList.contains('scrolls'), cue, focusable: box.tabIndex === 0, first };
      }));
      for (const t of tables) {
        assert.deepEqual(t.clipped, [], `${p}: cells whose content is cut off`);
        if (!t.wide) continue;
        scrolling++;
        assert.ok(t.scrolls, `${p}: a table wider than the screen scrolls in its own box`);
        assert.match(t.cue, /scrolls sideways/, `${p}: the scroll cue is visible`);
        assert.ok(t.focusable, `${p}: the scrolling box can be focused and scrolled by keyboard`);
        assert.ok(Math.abs(t.first) <= 1, `${p}: the first column stays in view when scrolled (${t.first}px)`);
      }
    });
  }
  assert.ok(scrolling > 0, 'at least one table is wider than a 320 px screen (the check above ran)');
});

for (const scheme of ['light', 'dark']) {
  test(`pages with wide tables at 320 px (${scheme}): zero axe violations`, async () => {
    for (const p of ['/bedside/treatment/', '/monographs/immune-checkpoint-inhibitors/']) {
      await at(320, p, async (page) => { assert.deepEqual(await axe(page), [], p); }, { colorScheme: scheme });
    }
  });
}

for (const width of WIDTHS) {
  test(`a citation at ${width} px opens its reference in place by keyboard; Escape returns to the text`, async () => {
    await at(width, '/monographs/lamotrigine/', async (page) => {
      const first = page.locator('.content sup.cite a').first();
      const href = await first.getAttribute('href');
      await first.focus();
      await page.keyboard.press('Enter');
      const pop = page.locator('#note-popover');
      await pop.waitFor({ state: 'visible' });
      const expected = await page.$eval(`${href}`, (li) => li.closest('li').querySelector('.ref-text').textContent.trim());
      assert.ok((await pop.textContent()).includes(expected), 'the popover shows the reference text');
      assert.equal(await page.evaluate(() => location.hash), '', 'the page did not jump to the reference list');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'note-popover', 'focus moves into the popover');
      assert.equal(await first.getAttribute('aria-expanded'), 'true');
      const box = await pop.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width, `popover on screen: ${JSON.stringify(box)}`);
      await page.keyboard.press('Escape');
      await pop.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), href, 'focus is back on the citation');
      assert.equal(await first.getAttribute('aria-expanded'), 'false');
      // Tabbing past the note's last control also returns to the citation.
      await page.keyboard.press('Enter');
      await pop.waitFor({ state: 'visible' });
      const stops = await pop.locator('a[href], button').count();
      for (let i = 0; i < stops; i++) await page.keyboard.press('Tab');
      assert.ok(await pop.isVisible(), 'every link in the note can be reached with Tab');
      await page.keyboard.press('Tab');
      await pop.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), href, 'Tab out of the note returns to the citation');
    });
  });

  test(`small targets at ${width} px: citation numbers and other small links ≥ 24 px, main controls ≥ 44 px`, async () => {
    await at(width, '/monographs/immune-checkpoint-inhibitors/', async (page) => {
      const sizes = await page.evaluate(() => {
        const measure = (sel, min) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length).map((e) => {
          const r = e.getBoundingClientRect();
          return { sel, text: e.textContent.trim().slice(0, 20), w: r.width, h: r.height, min };
        });
        return [
          ...measure('sup.cite a, .backlinks a, .ref-links a, .anchor, .toc a, .breadcrumbs a', 24),
          ...measure('.menu-toggle, .site-nav a, #search-input, .search-form button, .contents-jump', 44),
        ];
      });
      assert.ok(sizes.filter((s) => s.sel.startsWith('sup')).length > 20, 'citation numbers were measured');
      const small = sizes.filter((s) => (s.sel.includes('input') ? s.h : Math.min(s.w, s.h)) < s.min - 0.5);
      assert.deepEqual(small.slice(0, 5), [], `${small.length} targets below their minimum size`);
    });
  });
}

test('a glossary term opens its definition in place', async () => {
  await at(390, '/monographs/lamotrigine/', async (page) => {
    const term = page.locator('.content a.term').first();
    const id = (await term.getAttribute('href')).split('#')[1];
    await term.click();
    const pop = page.locator('#note-popover');
    await pop.waitFor({ state: 'visible' });
    const dd = await page.evaluate(async ([url, id]) => {
      const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
      return doc.getElementById(id).nextElementSibling.textContent.trim();
    }, [srv.base + '/glossary/', id]);
    await page.waitForFunction((t) => document.querySelector('.note-popover-body').textContent.includes(t), dd);
    assert.match(page.url(), /\/monographs\/lamotrigine\/$/, 'the reader stays on the page');
    await page.click('.note-popover-close');
    await pop.waitFor({ state: 'hidden' });
  });
});

test('without JavaScript citations and terms stay plain links', async () => {
  await at(390, '/monographs/lamotrigine/', async (page) => {
    const href = await page.locator('.content sup.cite a').first().getAttribute('href');
    await page.locator('.content sup.cite a').first().click();
    assert.equal(await page.evaluate(() => location.hash), href);
    await page.locator('.content a.term').first().click();
    await page.waitForURL(/\/glossary\/#/);
  }, { javaScriptEnabled: false });
});

for (const scheme of ['light', 'dark']) {
  test(`an open reference popover (${scheme}): zero axe violations`, async () => {
    await at(390, '/monographs/lamotrigine/', async (page) => {
      await page.locator('.content sup.cite a').first().click();
      await page.locator('#note-popover').waitFor({ state: 'visible' });
      assert.deepEqual(await axe(page), []);
    }, { colorScheme: scheme });
  });
}

/** The result paths (without the site prefix) and excerpt texts shown for a query. */
async function search(page, query) {
  await page.fill('#search-input', '');
  await page.evaluate(() => { document.getElementById('search-results').textContent = ''; });
  await page.fill('#search-input', query);
  await page.waitForSelector('#search-results li a', { timeout: 10000 });
  return page.$$eval('#search-results li', (ls) => ls.map((l) => ({
    url: new URL(l.querySelector('a').href).pathname, excerpt: l.querySelector('p')?.textContent ?? '',
  })));
}

test('British and American spellings, and abbreviations, find the same first result', async () => {
  await at(390, '/', async (page) => {
    for (const [expected, ...queries] of [
      [null, 'haemoglobin', 'hemoglobin'],
      ['/hemophagocytic-syndrome/', 'haemophagocytic', 'hemophagocytic', 'HLH', 'HPS', 'lymphohistiocytosis',
        'lymphohistiocytic', 'lympho-histiocytosis', 'haemophagocytic lymphohistiocytosis', 'hemophagocytic lymphohistiocytosis'],
      [null, 'oesophageal', 'esophageal'],
      ['/monographs/immune-checkpoint-inhibitors/', 'ICI', 'ICIs', 'immune checkpoint inhibitor'],
      ['/monographs/ibrutinib/', 'BTKi', 'BTK inhibitor', 'ibrutinib'],
      [null, 'sCD25', 'sIL-2R', 'soluble CD25', 'soluble IL-2 receptor'],
    ]) {
      const firsts = [];
      for (const q of queries) firsts.push([q, (await search(page, q))[0].url]);
      const want = expected ? PREFIX + expected : firsts[0][1];
      assert.deepEqual(firsts.filter(([, u]) => u !== want), [], `first result should be ${want} for each of ${queries.join(', ')}`);
    }
  });
});

test('search excerpts never show the headings\' "#" anchors', async () => {
  await at(390, '/', async (page) => {
    for (const q of ['about', 'scope', 'guidelines', 'management', 'HLH']) {
      const excerpts = (await search(page, q)).map((r) => r.excerpt);
      assert.deepEqual(excerpts.filter((e) => /(^|\s)#(\s|$)/.test(e)), [], `excerpts for ${q}`);
    }
  });
});

// Print budget (A4, the theme's 14 mm margins): a monograph prints on at most 8 pages, a
// bedside page on at most 6, and page breaks add at most one page to what the printed
// text needs (no near-empty pages).
const PRINT_BUDGET = { monograph: 8, bedside: 6 };
const A4_TEXT = { width: 688, height: 1009 }; // CSS px inside the margins (182 × 267 mm)

for (const p of LONG_PAGES) {
  const budget = MONOGRAPHS.includes(p) ? PRINT_BUDGET.monograph : PRINT_BUDGET.bedside;
  test(`print: ${p} fits ${budget} A4 pages with source, address, review date, disclaimer and reference URLs`, async () => {
    const { page, context } = await openPage(browser, srv.base + p, { viewport: A4_TEXT });
    try {
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() => {
        const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
        return {
          nav: visible('.site-header, .site-nav, .toc, .contents-jump, .breadcrumbs, .pager'),
          result: visible('.calculator-result, .calculator form'),
          source: document.querySelector('.print-source')?.innerText ?? '',
          canonical: document.querySelector('link[rel=canonical]').href,
          // Each reference shows an address on paper: a printed URL, or its DOI (AMA style).
          unaddressed: [...document.querySelectorAll('.reference-list li')].filter((li) => ![...li.querySelectorAll('a[href^="http"]')]
            .some((a) => a.getClientRects().length && (a.textContent.startsWith('http') || getComputedStyle(a, '::after').content.includes('http')
              || (a.href.startsWith('https://doi.org/') && a.textContent.startsWith('10.'))))).map((li) => li.textContent.slice(0, 60)),
          refs: document.querySelectorAll('.reference-list li').length,
          height: document.documentElement.scrollHeight,
        };
      });
      assert.equal(shown.nav, false, 'no navigation on paper');
      assert.equal(shown.result, false, 'no calculator form or empty result on paper');
      assert.ok(shown.source.includes(shown.canonical), `the canonical URL is printed: ${shown.source}`);
      assert.match(shown.source, /Last reviewed \d{1,2} \w+ \d{4}/, 'the review date is printed');
      assert.match(shown.source, /not a substitute for clinical judgment/, 'the disclaimer is printed');
      assert.ok(shown.refs >= 8, 'the references are printed');
      assert.deepEqual(shown.unaddressed, [], 'references printed without a URL or DOI');
      const pdf = await page.pdf({ format: 'A4', margin: {} });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages <= budget, `${p} prints on ${pages} pages (budget ${budget})`);
      const needed = Math.ceil(shown.height / A4_TEXT.height);
      assert.ok(pages <= needed + 1, `${p}: ${pages} pages for ${needed} pages of text: page breaks leave near-empty pages`);
    } finally { await context.close(); }
  });
}

/** RIS records as [tag, value] pairs; throws on a line that is not `XX  - value`. */
function parseRis(text) {
  return text.trimEnd().split('\n').map((line) => {
    const m = /^([A-Z][A-Z0-9]) {2}- ?(.*)$/.exec(line);
    if (!m) throw new Error(`not a RIS line: ${JSON.stringify(line)}`);
    return [m[1], m[2]];
  });
}

test('"Cite this page": the reader\'s browser adds the accessed date to AMA, BibTeX and RIS, shown and downloaded', async () => {
  await at(1280, '/monographs/lamotrigine/', async (page) => {
    const today = await page.evaluate(() => {
      const d = new Date();
      return { iso: [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'),
        human: d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric' }) };
    });
    const canonical = await page.$eval('link[rel=canonical]', (l) => l.href);
    const site = await page.$eval('meta[property="og:site_name"]', (m) => m.content);
    const ama = await page.$eval('.cite-ama', (p) => p.textContent);
    assert.ok(ama.includes(`Accessed ${today.human}. ${canonical}`), ama);
    // config.toml names no author yet: the site itself is the author.
    assert.ok(ama.startsWith(`${site}. `), ama);
    const bib = await page.$eval('pre.cite-bibtex', (p) => p.textContent);
    assert.match(bib, new RegExp(`^@online\\{[a-z0-9-]+,\\n(  [a-z]+ = \\{.*\\},\\n)+  urldate = \\{${today.iso}\\}\\n\\}\\n$`), bib);
    assert.equal((bib.match(/\{/g) || []).length, (bib.match(/\}/g) || []).length, 'balanced braces');
    const ris = await page.$eval('pre.cite-ris', (p) => p.textContent);
    const tags = parseRis(ris);
    assert.deepEqual([tags[0][0], tags.at(-1)[0]], ['TY', 'ER']);
    assert.deepEqual(tags.find(([t]) => t === 'Y2'), ['Y2', today.iso.replace(/-/g, '/')]);
    assert.deepEqual(tags.find(([t]) => t === 'UR'), ['UR', canonical]);
    assert.deepEqual(tags.find(([t]) => t === 'AU'), ['AU', site]);
    assert.ok(bib.includes(`  author = {{${site}}},\n`), 'a corporate BibTeX author, kept whole by its braces');
    assert.equal(tags.map(([t, v]) => `${t}  - ${v}`).join('\n').trimEnd(), ris.trimEnd(), 'RIS round-trips');
    for (const [sel, shown] of [['a.cite-bibtex', bib], ['a.cite-ris', ris]]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
      const file = await download.path().then((p) => import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8')));
      assert.equal(file, shown, `${sel} downloads what the page shows`);
      assert.match(download.suggestedFilename(), /^cite\.(bib|ris)$/);
    }
  }, { acceptDownloads: true });
});
