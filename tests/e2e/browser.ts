import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../src/core/util/paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = path.join(repoRoot(), 'test-results');

/** Headless Debian Chromium; WebGL comes from SwiftShader. Background networking off: no network here. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export interface ServedApp {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `graft-workbench serve --port 0 --json` exactly as a user would, and reads its URL. */
export async function serveApp(env: Record<string, string> = {}): Promise<ServedApp> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot(), 'bin/graft-workbench.js'), 'serve', '--port', '0', '--json'],
    {
      cwd: repoRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; token: string; port: number }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        const parsed = JSON.parse(out) as { url: string; token: string; port: number };
        clearTimeout(t);
        resolve(parsed);
      } catch {
        /* wait for the whole JSON document */
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return {
    url: info.url,
    origin: new URL(info.url).origin,
    token: info.token,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface OpenedApp {
  app: ServedApp;
  browser: Browser;
  page: Page;
  /** Page errors seen so far (a test asserts it stays empty). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * The usual e2e start: `serve` as a user runs it, headless Chromium, one page on the app with
 * its map loaded. `onPage` attaches extra listeners before the first load.
 */
export async function openApp(opts: { onPage?: (page: Page) => void } = {}): Promise<OpenedApp> {
  const app = await serveApp();
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  opts.onPage?.(page);
  await page.goto(app.url);
  await page.waitForFunction(() => window.__graftMap?.loaded() === true, undefined, { timeout: 30_000 });
  return {
    app,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await app.stop();
    },
  };
}

/** In an afterEach: a failing step leaves a picture of the page behind it. */
export async function screenshotIfFailed(
  ctx: { task: { name: string; result?: { state?: string } } },
  page: Page | undefined,
  prefix: string,
): Promise<void> {
  if (ctx.task.result?.state !== 'fail' || !page) return;
  await page.screenshot({
    path: screenshotPath(`${prefix}-FAILED-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`),
  });
}
