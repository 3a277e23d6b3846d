// `hpskb serve` in a real browser: eight preview tabs in one browser all load and all
// reload after an edit (a browser opens at most six connections to one host, so the
// tabs must not each hold a live-reload stream).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { launch } from './lib.mjs';

const REPO = new URL('../../', import.meta.url).pathname;
const BIN = process.env.HPSKB_BIN ?? path.join(REPO, 'target/debug/hpskb');
const TABS = 8;

let browser, server, root, url;
before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hpskb-preview-'));
  await fs.cp(path.join(REPO, 'tests/fixtures/good'), root, { recursive: true });
  server = spawn(BIN, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'ignore'] });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hpskb serve printed no URL')), 60_000);
    readline.createInterface({ input: server.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.replace(/^serving /, ''));
    });
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.kill();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const buildOf = (page) => page.$eval('script[data-build]', (s) => s.dataset.build);

test(`${TABS} preview tabs in one browser all load, and all reload after an edit`, async () => {
  const context = await browser.newContext();
  try {
    const pages = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      await page.goto(`${url}about/`, { timeout: 10_000 });
      assert.match(await page.textContent('main'), /This site covers/, `tab ${i + 1}`);
      pages.push(page);
    }
    const before = await buildOf(pages[0]);
    await fs.writeFile(path.join(root, 'content/about.md'),
      '+++\ntitle = "About"\n+++\n## Scope\n\nEdited while eight tabs were open.\n');
    for (const [i, page] of pages.entries()) {
      await page.waitForFunction((b) => document.querySelector('script[data-build]')?.dataset.build !== b &&
        document.body.textContent.includes('Edited while eight tabs'), before, { timeout: 20_000 })
        .catch((e) => assert.fail(`tab ${i + 1} did not reload: ${e.message}`));
    }
    // A ninth tab still loads at once.
    const extra = await context.newPage();
    await extra.goto(`${url}`, { timeout: 10_000 });
  } finally { await context.close(); }
});
