// Every example of the gallery: the page shows the diff and the explanations, and the text it
// offers (on screen and as a download) equals `dfharden fix` byte for byte, with the same
// (default) settings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXAMPLES, ROOT, cliFixer, downloadOf, launchBrowser, loadExample, openPage, outputText, serveDist,
} from './harness.mjs';

let server, browser, fixCli, opened;
before(async () => {
  fixCli = cliFixer();
  server = await serveDist();
  browser = await launchBrowser();
  opened = await openPage(browser, server.url);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const id of EXAMPLES) {
  test(`example ${id}: diff, explanations, and the CLI's output byte for byte`, async () => {
    const { page, log } = opened;
    const path = join('examples', id, 'Dockerfile');
    const original = readFileSync(join(ROOT, path), 'utf8');
    const expected = fixCli(path);
    const expectedPatch = fixCli('--diff', path);
    await loadExample(page, id);
    assert.equal(await page.locator('#source').inputValue(), original, 'the example is loaded into the editor');
    await page.locator('#tab-changes').click();
    if (expected === original) {
      // Nothing to fix (the Windows example): the page says so.
      await page.locator('#no-changes').waitFor();
      assert.equal(await page.locator('.hunk').count(), 0);
    } else {
      const hunks = page.locator('#diff .hunk');
      const cliHunks = expectedPatch.split('\n').filter((l) => l.startsWith('@@')).length;
      assert.ok(cliHunks > 0);
      assert.ok((await hunks.count()) >= cliHunks, 'at least one shown change per hunk of the patch');
      // Every change carries its rule codes and the explanation of each.
      for (const hunk of await hunks.all()) {
        const panel = hunk.locator('.rule-panel');
        const codes = (await panel.getAttribute('data-codes')).split(' ');
        assert.ok(codes.length > 0 && codes.every((c) => /^DH\d{3}$/.test(c)), `codes: ${codes}`);
        for (const code of codes) {
          const lesson = panel.locator(`.lesson[data-code="${code}"]`);
          assert.equal(await lesson.count(), 1, `an explanation for ${code}`);
          assert.ok((await lesson.locator('.summary').textContent()).length > 10, 'the rule says what it is about');
          // The full explanation unfolds on request.
          assert.ok(!(await lesson.locator('details').evaluate((d) => d.open)));
          await lesson.locator('summary').click();
          assert.ok(await lesson.locator('details').evaluate((d) => d.open));
          const text = await lesson.textContent();
          assert.match(text, /What it does/);
          assert.match(text, /Why is this bad\?/);
          assert.match(text, /Example/);
        }
        assert.ok((await hunk.locator('del, ins').count()) > 0, 'a change shows removed or added lines');
      }
      // Side by side and unified show the same changes.
      await page.locator('#mode-unified').click();
      await page.locator('.diff.unified').waitFor();
      assert.equal(await page.locator('#diff .hunk').count(), await hunks.count());
      assert.ok(await page.locator('.diff.unified .row.ins').count() > 0);
      await page.locator('#mode-side-by-side').click();
      await page.locator('.diff.side-by-side').waitFor();
    }
    assert.equal(await outputText(page), expected, 'the hardened file on screen equals `dfharden fix`');
    assert.equal(await downloadOf(page, '#download-output'), expected, 'the download equals `dfharden fix`');
    if (expected !== original) {
      const patch = await downloadOf(page, '#download-patch');
      // The CLI names the file by its path; the page calls it Dockerfile.
      assert.equal(patch, expectedPatch.replaceAll(`a/${path}`, 'a/Dockerfile').replaceAll(`b/${path}`, 'b/Dockerfile'));
    }
    assert.deepEqual(log.errors, []);
  });
}

test('word-level highlights mark the words a fix changed', async () => {
  const { page } = opened;
  await loadExample(page, 'alpine-script');
  await page.locator('#tab-changes').click();
  const marks = await page.locator('#diff ins mark.word').allTextContents();
  assert.ok(marks.some((m) => m.includes('--no-cache')), `marked: ${marks}`);
  assert.ok(!marks.some((m) => m.includes('apk add')), 'unchanged words are not marked');
});

test('long unchanged runs fold, and unfold on request', async () => {
  const { page } = opened;
  await loadExample(page, 'heredoc-cache');
  await page.locator('#tab-changes').click();
  const fold = page.locator('#diff button.fold').first();
  const folds = await page.locator('#diff button.fold').count();
  assert.ok(folds >= 1, 'a long unchanged run is folded');
  // How many lines a fold hides depends on which rules change the example; read it.
  const label = await fold.textContent();
  const hidden = Number(/^Show (\d+) unchanged lines$/.exec(label)?.[1]);
  assert.ok(hidden >= 2, `fold label: ${label}`);
  const before = await page.locator('#diff').textContent();
  const rows = await page.locator('#diff .row').count();
  await fold.click();
  assert.equal(await page.locator('#diff button.fold').count(), folds - 1);
  assert.equal(await page.locator('#diff .row').count(), rows + hidden);
  assert.ok((await page.locator('#diff').textContent()).length > before.length, 'the unfolded lines are shown');
});
