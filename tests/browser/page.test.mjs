// The web page reads a pasted Dockerfile the way the core does, in a real Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignRequests, launchBrowser, openPage, serveDist, setSource, waitAnalyzed } from './harness.mjs';

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
  const { page, log, context } = await openPage(browser, server.url);
  const text = 'FROM alpine:3.22\nRUN <<EOF\napk add curl\nEOF\nCOPY --chown=app . /app\nCMD ["/app/run"]\n';
  await setSource(page, text);
  await waitAnalyzed(page, text);
  await page.locator('#tab-instructions').click();
  const rows = page.locator('#instructions tbody tr');
  await rows.nth(3).waitFor({ timeout: 10_000 });
  assert.equal(await rows.count(), 4);
  assert.equal(await rows.nth(1).locator('.lines').textContent(), '2-4');
  assert.equal(await rows.nth(2).locator('.flags').textContent(), '--chown=app');
  assert.equal(await rows.nth(3).locator('.value').textContent(), '/app/run');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(foreignRequests(log.requests, server.url), []);
  await context.close();
});

test('reports a parse error with its position, refuses to rewrite, and rewrites when forced', async () => {
  const { page, context } = await openPage(browser, server.url);
  const text = 'FROM alpine\nCMD ["a", 1]\nRUN apk add curl\n';
  await setSource(page, text);
  await waitAnalyzed(page, text);
  assert.equal(await page.locator('#refused').count(), 1, 'a file with syntax errors is not rewritten (as the CLI without --force)');
  await page.locator('#tab-findings').click();
  const error = page.locator('#errors li.error');
  await error.first().waitFor({ timeout: 10_000 });
  assert.match(await error.first().textContent(), /^2:5: when using JSON array syntax/);
  // The error's button selects the place in the editor.
  await error.first().locator('button').click();
  const selection = await page.locator('#source').evaluate((t) => [t.selectionStart, t.selectionEnd, document.activeElement === t]);
  assert.equal(selection[0], 'FROM alpine\nCMD '.length);
  assert.ok(selection[2], 'the editor has the focus');
  await page.locator('#settings > summary').click();
  await page.locator('#force').check();
  await waitAnalyzed(page, text);
  await page.locator('#tab-changes').click();
  assert.equal(await page.locator('#refused').count(), 0);
  assert.match(await page.locator('#diff').textContent(), /--no-cache/);
  await context.close();
});

test('usable by keyboard: labelled controls, buttons, a sensible focus order, visible focus', async () => {
  const { page, context } = await openPage(browser, server.url);
  const stops = [];
  for (let i = 0; i < 22; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => {
      const el = document.activeElement;
      // The text area shows its focus on its frame (with the line numbers).
      const style = getComputedStyle(el.tagName === 'TEXTAREA' ? el.closest('.editor-box') : el);
      return { tag: el.tagName.toLowerCase(), id: el.id, example: el.dataset.example ?? null, outline: style.outlineStyle, text: el.textContent.trim().slice(0, 30) };
    }));
  }
  const ids = stops.map((s) => s.id || s.example || s.tag);
  assert.deepEqual(ids.slice(0, 5), ['copy-output', 'download-output', 'download-patch', 'share', 'theme-toggle']);
  assert.deepEqual(ids.slice(5, 16), ['go-web', 'rust-cli', 'node-express', 'python-flask', 'java-jar', 'dotnet-api', 'alpine-script', 'multistage-go', 'heredoc-cache', 'debian-service', 'windows-iis']);
  assert.deepEqual(ids.slice(16, 18), ['source', 'summary'], 'then the editor, then the settings');
  assert.ok(ids.slice(18).includes('tab-changes'), `then the result's tabs: ${ids.slice(18)}`);
  for (const stop of stops) {
    assert.ok(['button', 'textarea', 'summary', 'input', 'select'].includes(stop.tag), `a real control: ${JSON.stringify(stop)}`);
    assert.equal(stop.outline, 'solid', `visible focus on ${stop.id || stop.text}`);
  }
  // Keyboard only: arrows move between the result's tabs; open the findings and jump to one.
  await page.locator('#tab-changes').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-output');
  assert.equal(await page.locator('#tab-output').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-instructions');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-changes', 'wraps around');
  await page.locator('#tab-findings').focus();
  await page.keyboard.press('Enter');
  await page.locator('#findings-list .jump').first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'source');
  // Every form control has a label.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.locator('div[onclick], span[onclick], [role="button"]:not(button)').count(), 0);
  await context.close();
});

test('a finding far down selects its text in the editor and scrolls it, line numbers following', async () => {
  const { page, context } = await openPage(browser, server.url);
  const filler = Array.from({ length: 200 }, (_, i) => `# comment ${i}`).join('\n');
  const text = `FROM alpine:3.22\n${filler}\nRUN apk add curl\n`;
  await page.locator('#source').evaluate((area, t) => {
    area.value = t;
    area.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }, text);
  await waitAnalyzed(page, text);
  await page.locator('#tab-findings').click();
  const finding = page.locator('#findings-list li[data-code="DH305"]');
  assert.equal(await finding.locator('.jump').textContent(), 'line 202');
  await finding.locator('.jump').click();
  const [selected, scrollTop] = await page.locator('#source').evaluate((t) => [t.value.slice(t.selectionStart, t.selectionEnd), t.scrollTop]);
  assert.equal(selected, 'apk add curl');
  assert.ok(scrollTop > 2000, `scrolled to the line (scrollTop ${scrollTop})`);
  await page.waitForFunction(() => document.querySelector('.gutter').scrollTop === document.querySelector('#source').scrollTop);
  await context.close();
});

test('the result follows typing after a 250 ms pause, not on every keystroke', async () => {
  const { page, context } = await openPage(browser, server.url, { setup: (p) => p.clock.install() });
  const generation = async () => Number(await page.locator('#results').getAttribute('data-generation'));
  const start = await generation();
  await page.locator('#source').fill('FROM alpine:3.22\n');
  await page.locator('#source').press('End');
  for (const key of 'RUN apk add curl'.split('')) {
    await page.keyboard.type(key);
    await page.clock.runFor(100);
  }
  assert.equal(await page.locator('#results').getAttribute('data-pending'), 'true');
  assert.equal(await generation(), start, 'no analysis while typing');
  await page.clock.runFor(100);
  assert.equal(await page.locator('#results').getAttribute('data-pending'), 'true', 'still waiting after 200 ms');
  await page.clock.runFor(100);
  await waitAnalyzed(page, 'FROM alpine:3.22\nRUN apk add curl');
  assert.equal(await generation(), start + 1, 'one analysis for the whole burst');
  assert.match(await page.locator('#diff').textContent(), /apk add --no-cache curl/);
  await context.close();
});
