// The web UI in real headless Chromium against a real dashboard over a real local platform
// (real processors): log in, create from the nodejs hello template, edit the code, deploy and
// watch the progress, invoke and read the reply and its log lines, see a metrics point, delete.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import localPlugin from '@nucleon/platform-local';
import { startDashboard } from '../src/index.js';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const PROCESSOR = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
const SCREENSHOTS = join(PACKAGE_DIR, 'test', 'screenshots');
const DOC_IMAGES = join(PACKAGE_DIR, '..', '..', 'docs', 'images');
const TOKEN = 'browser-test-token-0123456789';
const NAME = 'ui-hello';

let home: string;
let dashboard: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let platform: ReturnType<typeof localPlugin.create>;

beforeAll(async () => {
  if (!existsSync(PROCESSOR)) throw new Error(`${PROCESSOR} is missing: build the workspace first`);
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'ui', 'app.js'))) throw new Error('dist/ui is missing: run "node build-ui.mjs"');
  home = await mkdtemp(join(tmpdir(), 'nucleon-dashboard-ui-'));
  platform = localPlugin.create({ settings: { processorEntry: PROCESSOR, stateDir: join(home, 'local'), pluginPaths: [PACKAGE_DIR] } });
  dashboard = await startDashboard({ platform, platformName: 'local', stateDir: join(home, 'dashboard'), port: 0, auth: { token: TOKEN } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  // Whatever the test left deployed goes, so no processor outlives it.
  await platform?.delete(NAME).catch(() => undefined);
  await dashboard?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('dashboard web UI in Chromium', () => {
  it('refuses a wrong token and keeps the user on the login page', async () => {
    await page.goto(`${dashboard.url}/#/login`);
    await page.fill('#login-token', 'not-the-token');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error')).toContain('not valid');
    expect(page.url()).toContain('#/login');
  });

  it('logs in, creates from the nodejs template, deploys, invokes, charts, deletes', async () => {
    await page.fill('#login-token', TOKEN);
    await page.click('#login-submit');
    await page.waitForSelector('#new-function');
    expect(await page.textContent('#platform')).toContain('local');

    await page.click('#new-function');
    const template = page.locator('#templates-list li').filter({ hasText: /hello/i }).filter({ hasText: /nodejs/ }).first().locator('button');
    await template.click();
    await page.waitForSelector('#code-editor .cm-content');
    await page.fill('#fn-name', NAME);

    // Replace the template's code with our own: a reply marker and a log line with a non-ASCII text.
    // Keep the template's module style (ES module or CommonJS): the runtime loads it as written.
    const templateCode = (await page.textContent('#code-editor .cm-content')) ?? '';
    const esm = /\bexport\s/.test(templateCode);
    const code = `${esm ? 'export async function handler' : 'exports.handler = async function handler'}(context, event) {
  context.logger.info('handled by the edited ünïcode handler');
  return 'edited reply: ' + event.body.toString();
}
`;
    const handlerModule = ((await page.inputValue('#fn-handler')).split(':')[0]) || 'main';
    await page.fill('#fn-handler', `${handlerModule}:handler`);
    await page.click('#code-editor .cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText arrives as one input, so CodeMirror's auto-indent and bracket closing stay out of it.
    await page.keyboard.insertText(code);
    await page.screenshot({ path: join(SCREENSHOTS, 'editor.png') });

    await page.click('#deploy');
    await page.waitForSelector('#deploy-progress li');
    await expect.poll(() => page.textContent('#deploy-state'), { timeout: 60_000 }).toMatch(/ready/);
    expect(await page.locator('#deploy-progress li').count()).toBeGreaterThan(1);
    expect(await page.textContent('#form-error')).toBe('');

    await page.fill('#invoke-body', 'from the browser');
    await page.click('#invoke-send');
    await expect.poll(() => page.textContent('#invoke-status'), { timeout: 15_000 }).toMatch(/^200/);
    expect(await page.textContent('#invoke-reply-body')).toBe('edited reply: from the browser');
    await expect.poll(() => page.textContent('#invoke-logs')).toContain('handled by the edited ünïcode handler');

    await expect.poll(async () => Number(await page.getAttribute('[data-testid="chart-invocations"]', 'data-points')), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.textContent('#logs-list'), { timeout: 15_000 }).toContain('ünïcode');
    await page.screenshot({ path: join(SCREENSHOTS, 'function.png'), fullPage: true });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#delete-function');
    await page.waitForURL(/#\/functions/);
    await expect.poll(() => page.locator(`[data-testid="function-row-${NAME}"]`).count()).toBe(0);
    await expect.poll(async () => (await platform.list()).map((s) => s.name)).not.toContain(NAME);

    // Only on request: a test run must not rewrite tracked files.
    if (process.env.NUCLEON_UPDATE_DOC_IMAGES === '1') {
      await mkdir(DOC_IMAGES, { recursive: true });
      await copyFile(join(SCREENSHOTS, 'editor.png'), join(DOC_IMAGES, 'dashboard-editor.png'));
      await copyFile(join(SCREENSHOTS, 'function.png'), join(DOC_IMAGES, 'dashboard-function.png'));
    }
  }, 120_000);
});
