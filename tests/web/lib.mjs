// Shared helpers for the browser tests: a static server for the built site and Chromium.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const SITE_DIR = process.env.SITE_DIR;
export const PREFIX = process.env.SITE_PREFIX ?? '/kb';
if (!SITE_DIR) throw new Error('SITE_DIR must point at a built site (scripts/test sets it)');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.txt': 'text/plain', '.bib': 'text/plain; charset=utf-8', '.ris': 'text/plain; charset=utf-8',
  '.pagefind': 'application/wasm', '.webmanifest': 'application/manifest+json',
};

/** Serves a built site (SITE_DIR unless given) under PREFIX on 127.0.0.1 (ephemeral port),
 *  like a static host would. `network(state)` changes how it answers from then on: 'up',
 *  'down' (every connection is dropped at once) or 'slow' (requests are never answered). */
export async function serveSite(dir = SITE_DIR) {
  const root = path.resolve(dir);
  let state = 'up';
  const server = http.createServer(async (req, res) => {
    if (state === 'down') { req.socket.destroy(); return; }
    if (state === 'slow') return;
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!p.startsWith(PREFIX + '/')) { res.writeHead(404).end(); return; }
    p = p.slice(PREFIX.length);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      const body = await fs.readFile(path.join(root, '404.html')).catch(() => 'not found');
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  // Browsers keep connections open: close them too, or close() waits for them.
  return {
    base,
    network: (next) => { state = next; },
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches Debian's headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS });
}

/** Opens a page and records every request that leaves 127.0.0.1 (and blocks it). */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const external = [];
  const failures = [];
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') { external.push(u.href); return route.abort(); }
    return route.continue();
  });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/nonexistent/')) failures.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  if (url) await page.goto(url);
  return { page, context, external, failures };
}

/** Every page URL path listed in the built sitemap (made relative to the local server). */
export async function sitemapPaths() {
  const xml = await fs.readFile(path.join(SITE_DIR, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
}

/** The URL fragment an educator would share for a calculator input (the calculator pages'
 *  documented contract): `id=value`, `id.unit=unit`, yes/no for booleans, `id.not_done=1` for a
 *  test not done (any nullable input). */
export function calculatorFragment(input) {
  const p = new URLSearchParams();
  for (const [id, v] of Object.entries(input)) {
    if (v === null) p.set(`${id}.not_done`, '1');
    else if (typeof v === 'boolean') p.set(id, v ? 'yes' : 'no');
    else if (typeof v === 'object') { p.set(id, String(v.value)); p.set(`${id}.unit`, v.unit); }
    else p.set(id, String(v));
  }
  return p.toString();
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The axe-core violations of the WCAG 2.2 AA rules on the page, one line each. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}
