// Share links carry the text and the settings in the URL fragment; the last session comes
// back from localStorage; copying puts the hardened file on the clipboard.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, loadExample, openPage, outputText, serveDist, setSource, waitAnalyzed } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** What a test compares between two pages: text, settings and result. */
async function snapshot(page) {
  await waitAnalyzed(page);
  const open = await page.locator('#settings').evaluate((d) => d.open);
  if (!open) await page.locator('#settings > summary').click();
  const state = {
    source: await page.locator('#source').inputValue(),
    basic: await page.locator('#basic').isChecked(),
    unsafe: await page.locator('#unsafe-fixes').inputValue(),
    user: await page.locator('#user-name').inputValue(),
    uid: await page.locator('#user-uid').inputValue(),
    digests: await page.locator('#digests').inputValue(),
    off: await page.locator('.settings input[data-code]:not(:checked)').evaluateAll((xs) => xs.map((x) => x.dataset.code)),
    output: await outputText(page),
  };
  await page.locator('#tab-changes').click();
  return state;
}

test('a share link opened in a fresh browser gives the same state', async () => {
  const { page, context } = await openPage(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await loadExample(page, 'python-flask');
  const text = `${await page.locator('#source').inputValue()}# ☃ shared, with "quotes" & <angles>\n`;
  await setSource(page, text);
  await waitAnalyzed(page, text);
  await page.locator('#settings > summary').click();
  await page.locator('#unsafe-fixes').selectOption('on');
  await page.locator('#basic').check();
  await page.locator('#rule-DH305').uncheck();
  await page.locator('#user-name').fill('app');
  await page.locator('#user-uid').fill('1000');
  await page.locator('#digests').fill(`python:3.11-slim sha256:${'c'.repeat(64)}\n`);
  const original = await snapshot(page);
  assert.equal(original.source, text);
  // DH305 switched off here; the style (DH8xx) and pinning (DH9xx) rules are off by default.
  assert.deepEqual(original.off.filter((code) => !/^DH[89]/.test(code)), ['DH305']);
  assert.ok(original.off.includes('DH801'));
  await page.locator('#share').click();
  const url = await page.locator('#share-url').inputValue();
  assert.ok(url.startsWith(`${server.url}#s=`), url);
  assert.ok(!/[^A-Za-z0-9\-_]/.test(url.split('#s=')[1]), 'the fragment is base64url');
  await page.locator('#status:text("Copied the share link")').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);

  const fresh = await openPage(browser, url);
  assert.deepEqual(await snapshot(fresh.page), original);
  assert.equal(new URL(fresh.page.url()).hash, '', 'the fragment is cleared once read');
  assert.deepEqual(fresh.log.errors, []);
  await fresh.context.close();

  // A share link pasted into an open page (only the fragment changes) loads too.
  const other = await openPage(browser, server.url);
  await other.page.goto(url);
  await other.page.waitForFunction((t) => document.querySelector('#source').value === t, text);
  assert.deepEqual(await snapshot(other.page), original);
  await other.context.close();

  // A damaged link is reported, not obeyed.
  const broken = await openPage(browser, `${server.url}#s=AAAA`);
  assert.match(await broken.page.locator('#status').textContent(), /share link could not be read/);
  await broken.context.close();
  await context.close();
});

test('the last session comes back after a reload, and the theme choice too', async () => {
  const { page, context } = await openPage(browser, server.url);
  await loadExample(page, 'rust-cli');
  const text = `${await page.locator('#source').inputValue()}EXPOSE 9000\n`;
  await setSource(page, text);
  await waitAnalyzed(page, text);
  await page.locator('#settings > summary').click();
  await page.locator('#rule-DH601').uncheck();
  await waitAnalyzed(page);
  const before = await snapshot(page);
  await page.locator('#theme-toggle').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.reload();
  await page.locator('#diff, #no-changes').first().waitFor();
  assert.deepEqual(await snapshot(page), before);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.locator('#theme-toggle').getAttribute('aria-pressed'), 'true');
  await context.close();
});

test('copy puts the hardened file on the clipboard', async () => {
  const { page, context } = await openPage(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await loadExample(page, 'java-jar');
  await page.locator('#copy-output').click();
  await page.locator('#status:text("Copied the hardened Dockerfile")').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await outputText(page));
  await context.close();
});
