// Shared set-up for the browser tests: a static server for dist/ on 127.0.0.1 and Debian's
// Chromium driven by playwright-core. Missing pieces fail loudly with what to run.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serveDist() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`dist/index.html is missing: build the page first (./scripts/test does)`);
  }
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Chromium with the flags this machine needs (Playwright gives it a fresh
 * temporary profile). */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium chromium-driver (./scripts/test does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Replaces the editor's text the way a paste does, firing a bubbling `input` event. */
export async function setSource(page, text) {
  await page.locator('#source').fill(text);
}

/** Waits until the page shows what the core made of `text` (the debounce has fired and the
 * views are up to date). Without `text`, waits for whatever is in the editor. */
export async function waitAnalyzed(page, text) {
  await page.waitForFunction((expected) => {
    const results = document.querySelector('#results');
    const source = document.querySelector('#source');
    if (!results || !source || results.dataset.pending !== 'false') return false;
    const len = expected === null ? source.value.length : expected.length;
    return results.dataset.sourceLength === String(len);
  }, text ?? null, { timeout: 15_000 });
}

/** Opens the page in a fresh browser context and records what a test may want to assert
 * about: requests, page errors, console errors, dialogs, CSP violations. */
export async function openPage(browser, url, { viewport = { width: 1400, height: 900 }, colorScheme = 'light', setup } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const log = { requests: [], errors: [], dialogs: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`console: ${m.text()}`); });
  page.on('dialog', async (d) => { log.dialogs.push(d.message()); await d.dismiss(); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await setup?.(page);
  await page.goto(url);
  await page.locator('#diff, #no-changes, #refused').first().waitFor({ timeout: 15_000 });
  return { context, page, log };
}

/** Loads an example from the gallery and waits for its result. */
export async function loadExample(page, id) {
  await page.locator(`button[data-example="${id}"]`).click();
  await waitAnalyzed(page);
}

/** The hardened text as the page offers it (the "Hardened file" tab). */
export async function outputText(page) {
  await page.locator('#tab-output').click();
  return page.locator('#output-text').textContent();
}

/** Clicks a button that downloads a file; resolves to the file's bytes as a string. */
export async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return readFile(await download.path(), 'utf8');
}

/** The example folders (each has a Dockerfile). */
export const EXAMPLES = ['go-web', 'rust-cli', 'node-express', 'python-flask', 'java-jar', 'dotnet-api',
  'alpine-script', 'multistage-go', 'heredoc-cache', 'debian-service', 'windows-iis'];

/** Builds the CLI (a no-op when it is up to date) and returns the path of its binary. */
export function cliBinary() {
  try {
    execFileSync(process.env.CARGO || 'cargo', ['build', '--quiet', '--locked', '-p', 'dfharden'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`cargo build -p dfharden failed:\n${e.stderr}`);
  }
  return join(ROOT, 'target', 'debug', 'dfharden');
}

/** Builds the CLI (a no-op when it is up to date) and returns a function that runs
 * `dfharden fix <args>` and gives its standard output. */
export function cliFixer() {
  const bin = cliBinary();
  return (...args) => {
    try {
      return execFileSync(bin, ['fix', ...args], { cwd: ROOT, encoding: 'utf8' });
    } catch (e) {
      // `fix --diff` exits 1 when there are changes: its output is still the answer.
      if (e.status === 1 && typeof e.stdout === 'string') return e.stdout;
      throw e;
    }
  };
}

/** Whether every request stayed on the page's origin (blob: URLs carry their creator's). */
export function foreignRequests(requests, pageUrl) {
  const origin = new URL(pageUrl).origin;
  // data: URLs (the empty favicon) are not requests to anyone.
  return requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
}
