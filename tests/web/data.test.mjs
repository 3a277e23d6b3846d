// Data sets in headless Chromium: the case registry's tables and the monographs' charts
// readable at 320 px without horizontal page overflow, axe clean in both schemes, complete
// without JavaScript, and sorted and filtered with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, launch, openPage, axe } from './lib.mjs';

const REGISTRY = '/case-registry/';
const MONOGRAPH = '/monographs/immune-checkpoint-inhibitors/';

let browser, srv;
before(async () => { srv = await serveSite(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

async function at(width, p, fn, options = {}) {
  const { page, context, failures } = await openPage(browser, srv.base + p, { viewport: { width, height: 640 }, ...options });
  try { await fn(page); assert.deepEqual(failures, [], 'failed requests or script errors'); } finally { await context.close(); }
}

/** How far the page is wider than the window, in px (0 or less: no horizontal scrolling). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

for (const p of [REGISTRY, MONOGRAPH]) {
  test(`${p} at 320 px: no horizontal page overflow, tables scroll in their box, charts fit`, async () => {
    await at(320, p, async (page) => {
      assert.ok(await overflow(page) <= 0, `${p} overflows by ${await overflow(page)}px`);
      const boxes = await page.evaluate(() => [...document.querySelectorAll('table.data-table, figure.chart svg')].map((el) => {
        const r = el.getBoundingClientRect();
        const wrap = el.closest('.table-wrap');
        return { tag: el.tagName, right: r.right, wrapRight: wrap ? wrap.getBoundingClientRect().right : null, scrolls: wrap ? wrap.classList.contains('scrolls') : null };
      }));
      assert.ok(boxes.length > 0, 'the page shows data');
      for (const b of boxes) {
        if (b.tag === 'svg') assert.ok(b.right <= 320, `a chart is clipped at ${b.right}px`);
        else assert.ok(b.wrapRight <= 320 && b.scrolls, 'a wide data table scrolls inside its box with the cue');
      }
    });
  });

  for (const scheme of ['light', 'dark']) {
    test(`${p} is axe clean in the ${scheme} scheme`, async () => {
      await at(390, p, async (page) => { assert.deepEqual(await axe(page), []); }, { colorScheme: scheme });
    });
  }
}

test('without JavaScript every record and chart is there, with no sort buttons or filter', async () => {
  await at(320, REGISTRY, async (page) => {
    const rows = await page.locator('table.data-table[data-set="ici-cases"] tbody tr').count();
    const records = (await (await fetch(`${srv.base}/data/ici-cases.json`)).json()).records.length;
    assert.equal(rows, records);
    assert.equal(await page.locator('button.sort, .data-filter').count(), 0);
    assert.ok(await overflow(page) <= 0);
  }, { javaScriptEnabled: false });
  await at(320, MONOGRAPH, async (page) => {
    assert.equal(await page.locator('figure.chart svg[role=img]').count(), 2);
    assert.ok(await page.locator('figure.chart desc').first().textContent());
  }, { javaScriptEnabled: false });
});

test('a column header sorts the rows (aria-sort) and the filter box hides rows that do not match', async () => {
  await at(1280, REGISTRY, async (page) => {
    const table = page.locator('table.data-table[data-set="ici-cases"]');
    const ages = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.cells[3].classList.contains('empty') ? null : Number(r.cells[3].textContent)));
    const header = table.locator('thead th').nth(3);
    await header.locator('button.sort').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const up = await ages();
    const stated = up.filter((a) => a !== null);
    assert.deepEqual(stated, [...stated].sort((a, b) => a - b), 'ages ascending');
    assert.deepEqual(up.slice(stated.length), up.filter((a) => a === null), 'not stated last');
    await header.locator('button.sort').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const down = (await ages()).filter((a) => a !== null);
    assert.deepEqual(down, [...stated].sort((a, b) => b - a), 'ages descending');

    const filter = page.getByLabel('Filter rows').first();
    await filter.fill('pembrolizumab');
    const visible = await table.locator('tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => r.textContent.toLowerCase()));
    assert.ok(visible.length > 0 && visible.every((t) => t.includes('pembrolizumab')), 'only matching rows shown');
    const total = await table.locator('tbody tr').count();
    assert.ok(visible.length < total, 'some rows hidden');
    assert.equal(await page.locator('.data-status').first().textContent(), `${visible.length} of ${total} rows shown`);
    await filter.fill('');
    assert.equal(await table.locator('tbody tr:not([hidden])').count(), total);
  });
});
