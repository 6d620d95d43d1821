// The web page renders the parse of a pasted Dockerfile, in a real Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, serveDist, setSource } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('shows the parsed instructions of a pasted Dockerfile', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.locator('#source').waitFor();
  await setSource(page, 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nCOPY --chown=app . /app\nCMD ["/app/run"]\n');
  const rows = page.locator('#instructions tr');
  await assert.doesNotReject(() => rows.nth(3).waitFor({ timeout: 10_000 }));
  assert.equal(await rows.count(), 4);
  assert.equal(await rows.nth(1).locator('.lines').textContent(), '2-4');
  assert.equal(await rows.nth(2).locator('.flags').textContent(), '--chown=app');
  assert.equal(await rows.nth(3).locator('.value').textContent(), '/app/run');
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.url)), `requests left the page's origin: ${requests}`);
});

test('reports a parse error with its position', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await setSource(page, 'FROM alpine\nCMD ["a", 1]\n');
  const error = page.locator('#errors li.error');
  await error.first().waitFor({ timeout: 10_000 });
  assert.match(await error.first().textContent(), /^2:5: when using JSON array syntax/);
});
