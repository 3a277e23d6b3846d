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
