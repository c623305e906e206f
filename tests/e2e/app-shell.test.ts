import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/core/util/paths';
import { hasChromium, launchBrowser, screenshotPath, serveApp, type ServedApp } from './browser';

const version = (
  JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }
).version;

describe.skipIf(!hasChromium)('app shell in headless Chromium through the web host', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('rejects requests without the token and serves the app with it', async () => {
    expect((await fetch(`${app.origin}/`)).status).toBe(401);
    expect((await fetch(`${app.origin}/api/rpc/app.info`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${app.origin}/?token=wrong${app.token.slice(5)}`)).status).toBe(401);
    const ok = await fetch(app.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('answers a malformed request with a clear error, not a crash', async () => {
    const res = await fetch(`${app.origin}/api/rpc/engine.selfTest`, {
      method: 'POST',
      headers: { 'x-graft-token': app.token },
      body: JSON.stringify({ steps: 'many' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/engine\.selfTest: steps: /);
  });

  it('renders the WebGL map canvas', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.maplibregl-canvas');
    await page.waitForFunction(() => window.__graftMap?.loaded() === true, undefined, { timeout: 30_000 });
    // The token was stripped from the address bar after the first load.
    expect(page.url()).not.toContain('token=');
    const pixels = await page.evaluate(() => {
      const canvas = document.querySelector('.maplibregl-canvas') as HTMLCanvasElement;
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
      const buf = new Uint8Array(4);
      gl.readPixels(
        Math.floor(canvas.width / 2),
        Math.floor(canvas.height / 2),
        1,
        1,
        gl.RGBA,
        gl.UNSIGNED_BYTE,
        buf,
      );
      return { webgl: !!gl, rgba: [...buf], w: canvas.width, h: canvas.height };
    });
    expect(pixels.webgl).toBe(true);
    expect(pixels.w).toBeGreaterThan(500);
    // The offline background colour #eef1f4 (or a graticule line over it), not an empty canvas.
    expect(pixels.rgba[3]).toBe(255);
    expect(pixels.rgba[0]).toBeGreaterThan(140);
  });

  it('sends a request through the contract and shows the answer', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe(version);
    await expect.poll(() => page.getByTestId('engine-state').textContent()).toMatch(/idle|ready/);
  });

  it('runs a job in the engine process to 100% and cancels another', async () => {
    await page.getByTestId('self-test').click();
    const first = page.getByTestId('job').first();
    await expect.poll(() => first.getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => first.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await first.getByTestId('job-pct').textContent()).toBe('100% done');
    await expect.poll(() => page.getByTestId('engine-state').textContent()).toMatch(/ready \(pid \d+\)/);

    await page.getByTestId('self-test').click();
    const second = page.locator('[data-testid=job][data-state=running]').first();
    await second.waitFor();
    await page.waitForTimeout(300);
    await second.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => page.locator('[data-testid=job][data-state=cancelled]').count(), { timeout: 15_000 })
      .toBe(1);
    await page.mouse.move(900, 400);
    await page.screenshot({ path: screenshotPath('app-shell.png') });
  });
});
