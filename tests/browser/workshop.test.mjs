// Workshop mode: one rule at a time from the original to the hardened file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cliFixer, launchBrowser, loadExample, openPage, serveDist } from './harness.mjs';

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

test('steps through every change, each with its lesson, ending at the full output', async () => {
  const { page, context, log } = await openPage(browser, server.url);
  const path = 'examples/alpine-script/Dockerfile';
  const original = readFileSync(join(ROOT, path), 'utf8');
  await loadExample(page, 'alpine-script');
  await page.locator('#tab-workshop').click();
  const position = page.locator('#ws-position');
  const match = (await position.textContent()).match(/^Step 0 of (\d+)$/);
  assert.ok(match, await position.textContent());
  const total = Number(match[1]);
  assert.ok(total >= 3, `alpine-script is changed by several rules (${total})`);
  assert.equal(await page.locator('#ws-text').textContent(), original);
  assert.ok(await page.locator('#ws-prev').isDisabled());
  const seen = [];
  let previous = original;
  for (let step = 1; step <= total; step++) {
    await page.locator('#ws-next').click();
    await page.locator(`#ws-position:text("Step ${step} of ${total}")`).waitFor();
    const code = await page.locator('.step').getAttribute('data-code');
    assert.match(code, /^DH\d{3}$/);
    assert.ok(!seen.includes(code), 'one rule per step');
    seen.push(code);
    assert.match(await page.locator('#ws-title').textContent(), new RegExp(`^Change ${step} of ${total}: ${code} `));
    const lesson = page.locator(`.step .lesson[data-code="${code}"]`);
    assert.match(await lesson.textContent(), /Why is this bad\?/);
    assert.ok(await lesson.locator('details').evaluate((d) => d.open), 'the lesson is open in the workshop');
    assert.ok((await page.locator('.step .diff ins, .step .diff del').count()) > 0, 'the step shows what it changes');
    const text = await page.locator('#ws-text').textContent();
    assert.notEqual(text, previous, 'every step changes the file');
    previous = text;
  }
  assert.ok(await page.locator('#ws-next').isDisabled());
  assert.equal(previous, fixCli(path), 'the last step is the full hardened file');
  assert.ok(seen.includes('DH305'));
  await page.locator('#ws-prev').click();
  await page.locator(`#ws-position:text("Step ${total - 1} of ${total}")`).waitFor();
  await page.locator('#ws-first').click();
  assert.equal(await page.locator('#ws-text').textContent(), original);
  assert.deepEqual(log.errors, []);
  await context.close();
});
