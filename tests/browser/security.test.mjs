// Hostile text stays text, and the page talks to nothing but its own origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, foreignRequests, launchBrowser, openPage, outputText, serveDist, setSource, waitAnalyzed } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const HOSTILE = [
  `# ${SCRIPT}`,
  'FROM alpine:3.22',
  `LABEL description="${SCRIPT}"`,
  `RUN echo '${IMG}' && apk add curl`,
  `ENV API_TOKEN=${IMG}`,
  `CMD echo ${SCRIPT}`,
  '',
].join('\n');

async function assertInert(page, log, where) {
  assert.deepEqual(log.dialogs, [], `no dialog (${where})`);
  assert.equal(await page.locator('img').count(), 0, `no img element (${where})`);
  assert.equal(await page.locator('script').count(), 1, `only the page's own module script (${where})`);
  assert.equal(await page.locator('[onerror]').count(), 0, `no onerror attribute (${where})`);
}

test('a Dockerfile with markup in it shows as text everywhere', async () => {
  const { page, log, context } = await openPage(browser, server.url);
  await setSource(page, HOSTILE);
  await waitAnalyzed(page, HOSTILE);
  await page.locator('#tab-changes').click();
  const diff = await page.locator('#diff').textContent();
  assert.ok(diff.includes(SCRIPT) && diff.includes(IMG), 'the markup is shown, as text, in the diff');
  await assertInert(page, log, 'diff');
  await page.locator('#mode-unified').click();
  await assertInert(page, log, 'unified diff');
  assert.ok((await outputText(page)).includes(IMG));
  await assertInert(page, log, 'hardened file');
  for (const tab of ['findings', 'workshop', 'runtime', 'instructions']) {
    await page.locator(`#tab-${tab}`).click();
    await assertInert(page, log, tab);
  }
  await page.locator('#tab-workshop').click();
  await page.locator('#ws-last').click();
  assert.ok((await page.locator('#ws-text').textContent()).includes(SCRIPT));
  await page.locator('#tab-findings').click();
  assert.ok((await page.locator('#findings-list').textContent()).length > 0);
  await assertInert(page, log, 'workshop end');

  // Settings fields echo what is typed into their problem messages: as text too.
  await page.locator('#settings > summary').click();
  await page.locator('#user-name').fill(IMG);
  await page.locator('#digests').fill(`${IMG} ${SCRIPT}\n`);
  await waitAnalyzed(page, HOSTILE);
  assert.ok((await page.locator('#user-name-problem').textContent()).includes(IMG));
  assert.ok((await page.locator('#digest-problems').textContent()).includes(SCRIPT));
  await assertInert(page, log, 'settings problems');

  // Shared and reopened: still text.
  await page.locator('#share').click();
  const url = await page.locator('#share-url').inputValue();
  const fresh = await openPage(browser, url);
  assert.equal(await fresh.page.locator('#source').inputValue(), HOSTILE);
  assert.ok((await fresh.page.locator('#diff').textContent()).includes(SCRIPT));
  await assertInert(fresh.page, fresh.log, 'shared link');
  await fresh.context.close();

  assert.deepEqual(log.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await context.close();
});

test('no request leaves the page\'s origin, and the CSP would stop one', async () => {
  const { page, log, context } = await openPage(browser, server.url);
  // Use everything that could reach out: examples, every tab, downloads, share, copy.
  for (const id of ['go-web', 'windows-iis', 'heredoc-cache']) {
    await page.locator(`button[data-example="${id}"]`).click();
    await waitAnalyzed(page);
  }
  for (const tab of ['changes', 'output', 'findings', 'workshop', 'runtime', 'instructions']) {
    await page.locator(`#tab-${tab}`).click();
  }
  await Promise.all([page.waitForEvent('download'), page.locator('#download-output').click()]);
  await Promise.all([page.waitForEvent('download'), page.locator('#download-patch').click()]);
  await page.locator('#share').click();
  await page.locator('#copy-output').click();
  await page.waitForTimeout(300);
  assert.ok(log.requests.length >= 4, `the page's own files were requested: ${log.requests}`);
  assert.deepEqual(foreignRequests(log.requests, server.url), []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);

  // The policy itself: a request to another host is refused by the browser.
  const outcome = await page.evaluate(() => fetch('http://127.0.0.2:9/').then(() => 'sent', () => 'blocked'));
  assert.equal(outcome, 'blocked');
  assert.ok((await page.evaluate(() => window.__csp)).some((v) => v.startsWith('connect-src')), 'blocked by connect-src');
  assert.deepEqual(foreignRequests(log.requests, server.url), [], 'not even attempted on the network');
  await context.close();
});

test('the shipped page keeps its Content-Security-Policy', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline|https?:|\*/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
});
