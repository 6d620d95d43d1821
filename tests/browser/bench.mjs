// Benchmark of the web page (not a test: it prints figures and asserts nothing).
//   node tests/browser/bench.mjs            (after build_web; see scripts/lib.sh)
// Prints the release bundle size (wasm + JS, raw and gzip -9), the time to first render
// (navigation start -> first diff in the DOM) and the rewrite latency for a 50-line and a
// 500-line Dockerfile in headless Chromium, as medians of several runs.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, launchBrowser, serveDist } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 7);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

// 1. Bundle size.
const files = readdirSync(DIST).filter((f) => /\.(wasm|js)$/.test(f));
let raw = 0, gz = 0;
console.log('bundle (dist/):');
for (const f of files.sort()) {
  const bytes = readFileSync(join(DIST, f));
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length; gz += g;
  console.log(`  ${f.padEnd(24)} ${kb(bytes.length).padStart(11)} raw ${kb(g).padStart(11)} gzip -9`);
}
console.log(`  ${'total (wasm + JS)'.padEnd(24)} ${kb(raw).padStart(11)} raw ${kb(gz).padStart(11)} gzip -9`);

/** A realistic Dockerfile of about `lines` lines: a build stage and a final stage with the
 * kinds of instructions the rules look at. */
function dockerfile(lines) {
  const out = ['# syntax=docker/dockerfile:1', 'FROM python:3.12-slim AS build', 'WORKDIR /src'];
  const body = (i) => [
    `# step ${i}`,
    `RUN apt-get update && apt-get install -y curl build-essential libpq-dev-${i}`,
    `COPY requirements-${i}.txt /src/requirements-${i}.txt`,
    `RUN pip install --no-cache-dir -r /src/requirements-${i}.txt`,
    `ENV FEATURE_${i}=enabled`,
    `RUN apk add jq-${i} && chmod 777 /src/data-${i}`,
    `ADD https://example.com/tool-${i}.tar.gz /tmp/tool-${i}.tar.gz`,
    `RUN mkdir -p /srv/app-${i} \\`,
    `    && echo "configured ${i}" > /srv/app-${i}/state`,
  ];
  let i = 0;
  while (out.length < lines - 6) out.push(...body(i++));
  out.length = Math.min(out.length, lines - 6);
  out.push('FROM python:3.12-slim', 'COPY --from=build /src /app', 'WORKDIR /app', 'EXPOSE 8000',
    'ENV API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345', 'CMD gunicorn app:app');
  return `${out.join('\n')}\n`;
}

const server = await serveDist();
const browser = await launchBrowser();
const args = { viewport: { width: 1400, height: 900 } };
try {
  // 2. Time to first render, on a fresh profile each run (nothing cached).
  const firsts = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext(args);
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('#diff')) { window.__firstDiff = performance.now(); observer.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__firstDiff !== undefined);
    firsts.push(await page.evaluate(() => window.__firstDiff));
    await context.close();
  }
  console.log(`\ntime to first render (navigation start -> first diff shown), median of ${RUNS}: ${ms(median(firsts))}` +
    `  [min ${ms(Math.min(...firsts))}, max ${ms(Math.max(...firsts))}]`);

  // 3. Rewrite latency, on the path a user takes: the text changes, the page waits for
  // typing to pause (the 250 ms debounce), then runs check + fix + diff and renders. The
  // debounce timer is wrapped to note when it fires, so the figure is the work alone: timer
  // fired -> updated DOM (and -> the next frame painted). A paste is the text area's value
  // replaced plus one input event (Playwright's fill() is not used: for 500 lines it alone
  // takes seconds in Chromium's editing code).
  const context = await browser.newContext(args);
  const page = await context.newPage();
  await page.addInitScript(() => {
    const original = window.setTimeout;
    window.setTimeout = function (callback, delay, ...rest) {
      if (delay !== 250 || typeof callback !== 'function') return original.call(this, callback, delay, ...rest);
      return original.call(this, function (...a) { window.__fired = performance.now(); return callback.apply(this, a); }, delay, ...rest);
    };
  });
  await page.goto(server.url);
  await page.locator('#diff').waitFor();
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  console.log(`\nrewrite latency, median of ${RUNS} (after typing pauses: check + fix + diff + render):`);
  for (const lines of [50, 500]) {
    const texts = [dockerfile(lines), `${dockerfile(lines)}# edited\n`];
    const rewrite = [], painted = [], total = [], keystroke = [];
    await page.evaluate(() => { window.__longest = 0; });
    for (let run = 0; run <= RUNS; run++) {
      const text = texts[run % 2];
      const [dom, paint, all, key] = await page.evaluate((text) => new Promise((done) => {
        const results = document.querySelector('#results');
        const area = document.querySelector('#source');
        let keyDone;
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (results.dataset.sourceLength === String(text.length) && results.dataset.pending === 'false') {
            observer.disconnect();
            const now = performance.now();
            requestAnimationFrame(() => setTimeout(() => done([now - window.__fired, performance.now() - window.__fired, now - start, keyDone]), 0));
          }
        });
        observer.observe(results, { attributes: true });
        area.value = text;
        area.dispatchEvent(new InputEvent('input', { bubbles: true }));
        // The keystroke's own work (state update and re-render, before the debounce).
        Promise.resolve().then(() => new Promise((r) => requestAnimationFrame(r))).then(() => { keyDone = performance.now() - start; });
      }), text);
      if (run === 0) continue; // the first run warms the code up
      rewrite.push(dom); painted.push(paint); total.push(all); keystroke.push(key);
    }
    const changes = await page.locator('#diff').getAttribute('data-hunks');
    const longest = await page.evaluate(() => window.__longest);
    console.log(`  ${String(lines).padStart(3)} lines (${changes} changes): ${ms(median(rewrite))} to the updated DOM,` +
      ` ${ms(median(painted))} to the next frame  [min ${ms(Math.min(...rewrite))}, max ${ms(Math.max(...rewrite))}]`);
    console.log(`      paste -> updated view ${ms(median(total))} (incl. the 250 ms debounce);` +
      ` keystroke -> next frame ${ms(median(keystroke))}; longest main-thread task ${ms(longest)}`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
