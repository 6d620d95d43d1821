// Screenshots of the main views into target/screenshots/ (not in git), for people to look at.
// The test only checks that each view rendered; the pictures are for reviewing the layout.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchBrowser, loadExample, openPage, serveDist } from './harness.mjs';

const OUT = join(ROOT, 'target', 'screenshots');
let server, browser;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await serveDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(page, name, options = {}) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(OUT, `${name}.png`), ...options });
}

test('screenshots of the main views', async () => {
  const { page, context, log } = await openPage(browser, server.url);
  await loadExample(page, 'alpine-script');
  await page.locator('#diff .hunk').first().waitFor();
  await shot(page, '01-changes-side-by-side');
  await loadExample(page, 'go-web');
  await page.locator('#mode-unified').click();
  await page.locator('.diff.unified').waitFor();
  await shot(page, '02-changes-unified', { fullPage: true });
  await page.locator('#mode-side-by-side').click();
  await page.locator('#tab-findings').click();
  await page.locator('#findings-list li').first().waitFor();
  await shot(page, '03-findings');
  await loadExample(page, 'alpine-script');
  await page.locator('#tab-workshop').click();
  await page.locator('#ws-next').click();
  await page.locator('.step').waitFor();
  await shot(page, '04-workshop', { fullPage: true });
  await page.locator('#tab-runtime').click();
  await page.locator('#docker-run').waitFor();
  await shot(page, '05-runtime', { fullPage: true });
  await page.locator('#settings > summary').click();
  await page.locator('#tab-changes').click();
  await shot(page, '06-settings', { fullPage: true });
  await context.close();

  const dark = await openPage(browser, server.url, { colorScheme: 'dark' });
  await loadExample(dark.page, 'heredoc-cache');
  await shot(dark.page, '07-dark-system');
  await dark.page.locator('#theme-toggle').click();
  assert.equal(await dark.page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await dark.context.close();

  const narrow = await openPage(browser, server.url, { viewport: { width: 420, height: 900 } });
  await loadExample(narrow.page, 'node-express');
  await shot(narrow.page, '08-narrow', { fullPage: true });
  await narrow.context.close();
  assert.deepEqual(log.errors, []);
});
