/**
 * The inspector page at /_vocab/ui, in a real headless Chromium (the system's, driven by
 * playwright-core): it shows a list a client just created, its switches inject a fault that the
 * next request meets, and remote values are shown as text, never run as markup.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { EmulatorServer } from '../../src/emulator/server.js';
import { callAction, createList, makeTempDir, postRaw, pythonSdkHeaders, removeDir, startTestServer } from './helpers.js';

const CHROMIUM = process.env.VOCAB_CHROMIUM ?? '/usr/bin/chromium';
const HAS_BROWSER = existsSync(CHROMIUM);
const NOTE = HAS_BROWSER ? '' : ` (SKIPPED: no browser at ${CHROMIUM}; install Debian's chromium or set VOCAB_CHROMIUM)`;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const XSS_TEXT = '<img src=x onerror=window.hacked=1>';

describe.skipIf(!HAS_BROWSER)(`the inspector page in headless Chromium${NOTE}`, () => {
  let server: EmulatorServer;
  let profile = '';
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ server } = await startTestServer());
    profile = await makeTempDir();
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await removeDir(profile);
  });

  it('shows a list a client just created: status, model, entry count, entries and the quota', async () => {
    const id = await createList(server.url, 'movies', [
      { text: '赛德克巴莱', weight: 4, lang: 'zh' },
      { text: 'Seediq Bale', weight: 4, lang: 'en' },
    ]);
    await page.goto(`${server.adminUrl}/ui`);
    const row = page.locator(`tr[data-vocabulary-id="${id}"]`);
    await expect(row.locator('td').allInnerTexts()).resolves.toEqual([id, 'movies', 'fun-asr', 'OK', '2', '2024-11-05 16:31:32']);
    expect(await page.getByTestId('quota-text').innerText()).toBe('1 of 10 lists used');
    await page.getByText(`2 entries of ${id}`).click();
    await expect(page.getByRole('cell', { name: 'Seediq Bale' }).isVisible()).resolves.toBe(true);
  });

  it('refreshes the lists and the request log while open', async () => {
    const id = await createList(server.url, 'later');
    await page.locator(`tr[data-vocabulary-id="${id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('quota-text').innerText()).toBe('2 of 10 lists used');
  });

  it('a fault switch makes the next request fail, and turning it off heals it', async () => {
    await page.getByLabel('500 InternalError on every request').check();
    await page.locator('#fault-note', { hasText: 'on: ui-http-500' }).waitFor();
    const failed = await callAction(server.url, { action: 'list_vocabulary' });
    expect(failed.status).toBe(500);
    expect(failed.json.code).toBe('InternalError');
    await page.locator('#requests td', { hasText: 'InternalError' }).first().waitFor({ timeout: 15_000 });
    await page.getByLabel('500 InternalError on every request').uncheck();
    await page.locator('#fault-note', { hasText: 'off: ui-http-500' }).waitFor();
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
  });

  it('shows remote values as text: an entry and a workspace header holding markup run nothing', async () => {
    const id = await createList(server.url, 'xss', [{ text: XSS_TEXT, weight: 4 }]);
    await postRaw(server.url, JSON.stringify({ model: 'speech-biasing', input: { action: 'list_vocabulary' } }), {
      ...pythonSdkHeaders(),
      'X-DashScope-WorkSpace': '<script>window.hacked=2</script>',
    });
    await page.reload();
    await page.getByText(`1 entry of ${id}`).click();
    await expect(page.getByRole('cell', { name: XSS_TEXT }).isVisible()).resolves.toBe(true);
    expect(await page.locator('#lists img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { hacked?: number }).hacked)).toBeUndefined();
  });
});

describe('the inspector page without JavaScript', () => {
  it('is server-rendered HTML with the lists, the quota, the request log and the switches', async () => {
    const { server } = await startTestServer();
    try {
      const id = await createList(server.url, 'plain');
      const res = await fetch(`${server.adminUrl}/ui`);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'nonce-");
      const html = await res.text();
      expect(html).toContain(`<tr data-vocabulary-id="${id}">`);
      expect(html).toContain('1 of 10 lists used');
      expect(html).toContain('<td>create_vocabulary</td><td>200</td>');
      expect(html).toContain('500 InternalError on every request');
      const big = Array.from({ length: 502 }, (_, i) => ({ text: `word${i}`, weight: 4 }));
      await createList(server.url, 'big', big);
      const capped = await (await fetch(`${server.adminUrl}/ui`)).text();
      expect(capped).toContain('<td>word499</td>');
      expect(capped).not.toContain('<td>word500</td>');
      expect(capped).toContain('… and 2 more (GET /_vocab/state has them all)');
    } finally {
      await server.close();
    }
  });
});
