// Settings change the rewrite exactly as the CLI's flags do; rules switched off take their
// changes with them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliFixer, downloadOf, launchBrowser, loadExample, openPage, outputText, serveDist, setSource, waitAnalyzed } from './harness.mjs';

let server, browser, fixCli;
before(async () => {
  fixCli = cliFixer();
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openSettings(page) {
  if (!(await page.locator('#settings').evaluate((d) => d.open))) await page.locator('#settings > summary').click();
}

test('switching a rule off removes its change, and on brings it back', async () => {
  const { page, context } = await openPage(browser, server.url);
  await loadExample(page, 'alpine-script');
  const path = 'examples/alpine-script/Dockerfile';
  await page.locator('#tab-changes').click();
  assert.ok((await page.locator('#diff').getAttribute('data-codes')).includes('DH305'));
  assert.match(await page.locator('#diff').textContent(), /apk add --no-cache/);
  await openSettings(page);
  const box = page.locator('#rule-DH305');
  assert.ok(await box.isChecked(), 'every rule is on by default, as in the CLI');
  await box.uncheck();
  await waitAnalyzed(page);
  await page.locator('#tab-changes').click();
  assert.ok(!(await page.locator('#diff').getAttribute('data-codes')).includes('DH305'));
  assert.doesNotMatch(await page.locator('#diff').textContent(), /--no-cache/);
  assert.equal(await page.locator('.rule-panel .lesson[data-code="DH305"]').count(), 0);
  assert.equal(await outputText(page), fixCli('--ignore', 'DH305', path), 'the same as `dfharden fix --ignore DH305`');
  // A whole category off and on again.
  await page.locator('#category-privilege').uncheck();
  await waitAnalyzed(page);
  assert.equal(await outputText(page), fixCli('--ignore', 'DH305,privilege', path));
  await page.locator('#category-privilege').check();
  await box.check();
  await waitAnalyzed(page);
  assert.equal(await outputText(page), fixCli(path));
  await context.close();
});

test('profile, unsafe fixes and the user give what the CLI flags give', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSettings(page);
  const cases = [
    { example: 'go-web', set: () => page.locator('#basic').check(), flags: ['--profile', 'basic'] },
    { example: 'node-express', set: () => page.locator('#unsafe-fixes').selectOption('off'), flags: ['--no-unsafe-fixes'] },
    {
      example: 'debian-service',
      set: async () => { await page.locator('#user-name').fill('app'); await page.locator('#user-uid').fill('1000'); },
      flags: ['--user', 'app', '--uid', '1000'],
    },
  ];
  for (const { example, set, flags } of cases) {
    await page.locator('#reset-settings').click();
    await loadExample(page, example);
    const path = `examples/${example}/Dockerfile`;
    const before = await outputText(page);
    assert.equal(before, fixCli(path));
    await set();
    await waitAnalyzed(page);
    const after = await outputText(page);
    assert.notEqual(after, before, `${flags} changes the rewrite of ${example}`);
    assert.equal(after, fixCli(...flags, path), `the same as dfharden fix ${flags.join(' ')}`);
  }
  // A bad uid is reported and not used.
  await page.locator('#user-uid').fill('12x');
  await waitAnalyzed(page);
  assert.match(await page.locator('#uid-problem').textContent(), /must be a number/);
  assert.equal(await outputText(page), fixCli('--user', 'app', 'examples/debian-service/Dockerfile'));
  await context.close();
});

test('a pasted digest table pins base images, as a lock file does for the CLI', async () => {
  const { page, context } = await openPage(browser, server.url);
  await loadExample(page, 'multistage-go');
  const path = 'examples/multistage-go/Dockerfile';
  const digest = `sha256:${'ab'.repeat(32)}`;
  await openSettings(page);
  await page.locator('#digests').fill(`# pins\ngolang:1.26 ${digest}\nnot a line\n`);
  await waitAnalyzed(page);
  assert.equal(await page.locator('#digest-count').textContent(), '1 digest known.');
  assert.match(await page.locator('#digest-problems').textContent(), /line 3: /);
  const output = await outputText(page);
  assert.match(output, new RegExp(`FROM golang:1\\.26@${digest}`));
  const dir = mkdtempSync(join(tmpdir(), 'dfharden-lock-'));
  const lock = join(dir, 'dfharden.lock');
  writeFileSync(lock, `version = 1\n\n[[image]]\nreference = "docker.io/library/golang:1.26"\ndigest = "${digest}"\nresolved-at = "2026-01-01T00:00:00Z"\n`);
  assert.equal(output, fixCli('--lock-file', lock, path), 'the same as `dfharden fix --lock-file`');
  await context.close();
});

test('a download right after typing (before the debounce fires) has the new text\'s rewrite', async () => {
  // A fake clock: the debounce timer fires only when the test says so.
  const { page, context } = await openPage(browser, server.url, { setup: (p) => p.clock.install() });
  const text = 'FROM alpine:3.22\nRUN apk add curl jq\nCMD ["jq"]\n';
  await setSource(page, text);
  assert.equal(await page.locator('#results').getAttribute('data-pending'), 'true', 'the debounce is still running');
  const downloaded = await downloadOf(page, '#download-output');
  const dir = mkdtempSync(join(tmpdir(), 'dfharden-typed-'));
  writeFileSync(join(dir, 'Dockerfile'), text);
  assert.equal(downloaded, fixCli(join(dir, 'Dockerfile')));
  assert.match(downloaded, /apk add --no-cache curl jq/);
  await page.clock.runFor(1000);
  await waitAnalyzed(page, text);
  assert.equal(await outputText(page), downloaded, 'and the views caught up');
  await context.close();
});

test('style rules are off by default; switching one on is `--extend-select`, and the link keeps it', async () => {
  const { page, context } = await openPage(browser, server.url);
  const text = 'FROM alpine:3.22 as build\nRUN apk add --no-cache make\nFROM alpine:3.22\nCOPY --from=build /bin/make /bin/make\nCMD ["make"]\n';
  const dir = mkdtempSync(join(tmpdir(), 'dfharden-style-'));
  writeFileSync(join(dir, 'Dockerfile'), text);
  await setSource(page, text);
  await waitAnalyzed(page, text);
  await openSettings(page);
  const box = page.locator('#rule-DH802');
  assert.equal(await box.isChecked(), false, 'the style category is off by default, as in the CLI');
  assert.equal(await page.locator('#category-style').isChecked(), false);
  assert.equal(await outputText(page), fixCli(join(dir, 'Dockerfile')));
  assert.match(await outputText(page), /^FROM alpine:3\.22 as build$/m);
  await box.check();
  await waitAnalyzed(page);
  assert.equal(await outputText(page), fixCli('--extend-select', 'DH802', join(dir, 'Dockerfile')));
  assert.match(await outputText(page), /^FROM alpine:3\.22 AS build$/m);
  // The share link carries the rule that was switched on.
  await page.locator('#share').click();
  const link = await page.locator('#share-url').inputValue();
  const second = await openPage(browser, link);
  await waitAnalyzed(second.page, text);
  assert.match(await outputText(second.page), /^FROM alpine:3\.22 AS build$/m);
  await second.context.close();
  await context.close();
});
