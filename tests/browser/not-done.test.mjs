// The end of the findings tab lists what the rewrite left in the hardened file, the same lines
// as the "not done" section of `dfharden fix --explain` for the same input, settings and date.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBinary, launchBrowser, openPage, serveDist, setSource, waitAnalyzed } from './harness.mjs';

let server, browser, bin;
before(async () => {
  bin = cliBinary();
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The page takes today from the browser's clock: fix it, and give the CLI the same day.
const TODAY = '2026-12-15';
const fixedClock = { setup: (page) => page.clock.setFixedTime(new Date(`${TODAY}T12:00:00`)) };

const DECLINED = 'FROM debian:trixie-slim\nVOLUME /data\nCOPY app /usr/local/bin/app\nCMD ["/usr/local/bin/app"]\n';
const CLEAN = 'FROM scratch\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n';

/** The "not done" lines of `dfharden fix --explain` (without their indent), or [] after
 * "nothing left to do". Reads standard input (no build context, as on the page) unless
 * `files` are given: then the Dockerfile is written to a directory with them beside it. */
function cliNotDone(text, files = null) {
  const args = ['fix', '--explain', '--today', TODAY];
  let input;
  if (files === null) {
    args.push('-');
    input = text;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'dfharden-not-done-'));
    writeFileSync(join(dir, 'Dockerfile'), text);
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    args.push(join(dir, 'Dockerfile'));
  }
  const run = spawnSync(bin, args, { input, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.split('\n');
  const head = lines.findIndex((l) => /: (not done \(|nothing left to do$)/.test(l));
  assert.ok(head >= 0, `a "not done" section in:\n${run.stderr}`);
  if (lines[head].endsWith('nothing left to do')) return [];
  return lines.slice(head + 1).filter((l) => l.startsWith('  ')).map((l) => l.slice(2));
}

/** The page's list, each item read back into the CLI's `LINE:COL CODE [severity] message`. */
async function pageNotDone(page) {
  return page.locator('#not-done-list > li').evaluateAll((items) => items.map((li) =>
    `${li.dataset.at} ${li.dataset.code} [${li.dataset.severity}] ${li.querySelector('.message').textContent}`));
}

/** The page shows a message's `code` spans as <code>: compare without the backquotes. */
const plain = (lines) => lines.map((l) => l.replaceAll('`', ''));

test('the findings tab ends with what the rewrite left, as `dfharden fix --explain` lists it', async () => {
  const { page, context, log } = await openPage(browser, server.url, fixedClock);
  await setSource(page, DECLINED);
  await waitAnalyzed(page, DECLINED);
  await page.locator('#tab-findings').click();
  const section = page.locator('section#not-done');
  await section.waitFor({ timeout: 10_000 });

  const expected = cliNotDone(DECLINED);
  assert.ok(expected.some((l) => /^\d+:\d+ DH101 \[error\] .*no USER is added, because /.test(l)), expected.join('\n'));
  assert.deepEqual(await pageNotDone(page), plain(expected));

  // A real heading and list, at the end of the findings tab, with the one-line intro.
  const heading = page.getByRole('heading', { name: 'Not done in the hardened file' });
  assert.equal(await heading.evaluate((h) => h.tagName), 'H3');
  assert.equal(await section.getAttribute('aria-labelledby'), 'not-done-title');
  assert.match(await section.locator('.intro').textContent(), /^3 findings remain after the rewrite, most severe first.*explanation/);
  assert.ok(await page.evaluate(() => {
    const findings = document.querySelector('#findings-list');
    const notDone = document.querySelector('#not-done');
    return findings.compareDocumentPosition(notDone) & Node.DOCUMENT_POSITION_FOLLOWING
      && notDone === document.querySelector('section.findings').lastElementChild;
  }), 'after the findings of the text as it is, last in the tab');
  const first = section.locator('#not-done-list > li').first();
  assert.match(await first.textContent(), /^1:1errorDH101/);

  // Each rule's explanation, once, folded, opened from the keyboard.
  const lessons = section.locator('.not-done-rules .lesson');
  assert.deepEqual(await lessons.evaluateAll((ls) => ls.map((l) => l.dataset.code)), ['DH101', 'DH202', 'DH602']);
  const summary = lessons.first().locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await lessons.first().locator('details[open] h5, details[open] p').first().waitFor({ timeout: 5_000 });
  assert.match(await lessons.first().locator('details').textContent(), /Why is this bad\?/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a start script pasted as a context file changes the decline, as the file beside the Dockerfile does', async () => {
  const { page, context } = await openPage(browser, server.url, fixedClock);
  await setSource(page, DECLINED);
  await waitAnalyzed(page, DECLINED);
  const script = '#!/bin/sh\nexec sleep infinity\n';
  await page.locator('textarea.context-file[data-path="app"]').fill(script);
  await page.locator('#tab-findings').click();
  await page.waitForFunction(() => /VOLUME \/data/.test(document.querySelector('#not-done-list')?.textContent ?? ''), null, { timeout: 10_000 });
  const expected = cliNotDone(DECLINED, { app: script });
  assert.ok(expected.some((l) => /DH101 \[error\] .*no USER is added, because the image declares `VOLUME \/data`/.test(l)), expected.join('\n'));
  assert.deepEqual(await pageNotDone(page), plain(expected));
  await context.close();
});

test('says "Nothing left to do" when the hardened file has no finding', async () => {
  const { page, context } = await openPage(browser, server.url, fixedClock);
  await setSource(page, CLEAN);
  await waitAnalyzed(page, CLEAN);
  await page.locator('#tab-findings').click();
  await page.locator('#not-done').waitFor({ timeout: 10_000 });
  assert.deepEqual(cliNotDone(CLEAN), []);
  assert.equal(await page.locator('#not-done-list').count(), 0);
  assert.match(await page.locator('#not-done-none').textContent(), /^Nothing left to do/);
  await context.close();
});

test('a refused rewrite has no "not done" list (the CLI rewrites nothing either)', async () => {
  const { page, context } = await openPage(browser, server.url, fixedClock);
  const text = 'FROM alpine\nCMD ["a", 1]\nRUN apk add curl\n';
  await setSource(page, text);
  await waitAnalyzed(page, text);
  await page.locator('#tab-findings').click();
  await page.locator('#errors').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#not-done').count(), 0);
  await context.close();
});
