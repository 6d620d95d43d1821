// The build context on the page: a start script the page cannot read is named, the user pastes
// it, and the rewrite then equals what the CLI makes with the file beside the Dockerfile. The
// header shows the date the image data was checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliFixer, launchBrowser, openPage, outputText, serveDist, setSource, waitAnalyzed } from './harness.mjs';

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

const DOCKERFILE = 'FROM debian:trixie-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["/usr/local/bin/app"]\n';

/** `dfharden fix` on DOCKERFILE with `script` beside it (and without, when null). */
function cliWith(script) {
  const dir = mkdtempSync(join(tmpdir(), 'dfharden-context-'));
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  if (script !== null) writeFileSync(join(dir, 'docker-entrypoint.sh'), script);
  return fixCli(join(dir, 'Dockerfile'));
}

async function outputBecomes(page, expected) {
  await page.waitForFunction((want) => document.querySelector('#output-text')?.textContent === want, expected, { timeout: 10_000 })
    .catch(() => {});
  return outputText(page);
}

test('a start script pasted as a context file decides the user, as the CLI does with the file', async () => {
  const { page, context } = await openPage(browser, server.url);
  await setSource(page, DOCKERFILE);
  await waitAnalyzed(page, DOCKERFILE);
  const field = page.locator('textarea.context-file[data-path="docker-entrypoint.sh"]');
  assert.equal(await field.count(), 1, 'the page names the script it could not see');
  assert.match(await page.locator('#context-files').textContent(), /not added: its start is not seen/);
  await page.locator('#tab-output').click();
  const unseen = await outputText(page);
  assert.doesNotMatch(unseen, /\nUSER /, 'no USER while the script is unseen');
  await page.locator('#tab-findings').click();
  assert.match(await page.locator('#panel').textContent(), /docker-entrypoint\.sh was not read/);

  const plain = '#!/bin/sh\nset -e\nexec "$@"\n';
  await field.fill(plain);
  await page.locator('#tab-output').click();
  const expected = cliWith(plain);
  assert.match(expected, /\nUSER 65532:65532\n/);
  assert.equal(await outputBecomes(page, expected), expected, 'the same as the CLI with the script in the context');

  const stepsDown = '#!/bin/sh\nchown -R app /data\nexec gosu app "$@"\n';
  await field.fill(stepsDown);
  const kept = cliWith(stepsDown);
  assert.doesNotMatch(kept, /\nUSER /);
  assert.equal(await outputBecomes(page, kept), kept, 'a script that steps down keeps root, as in the CLI');
  await context.close();
});

test('the header shows when the image data was checked', async () => {
  const { page, context } = await openPage(browser, server.url);
  assert.match(await page.locator('#data-date').textContent(), /Image data checked \d{4}-\d{2}-\d{2}/);
  await context.close();
});
