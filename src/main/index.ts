/**
 * Electron main: a thin host. It creates the window, serves the renderer and tiles through the
 * graft:// protocol, and forwards contract requests to the same core app the web host runs.
 * Inference runs in a utilityProcess (the engine), never here.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  protocol,
  session,
  utilityProcess,
  type WebFrameMain,
} from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP, IPC, PROTOCOL, requests } from '../shared/contract';
import { dispatch } from '../shared/rpc';
import { createCoreApp } from '../core/app/core-app';
import { EngineClient, type EngineChild } from '../engine/engine-client';
import type { FromEngine } from '../engine/engine-protocol';

const here = import.meta.dirname;
const rendererDir = path.join(here, '../renderer');
const APP_ORIGIN = `${PROTOCOL.scheme}://${PROTOCOL.appHost}`;

protocol.registerSchemesAsPrivileged([
  {
    scheme: PROTOCOL.scheme,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

function spawnUtilityEngine(): EngineChild {
  const child = utilityProcess.fork(path.join(here, 'engine.js'), [], {
    serviceName: 'GRAFT inference engine',
  });
  return {
    pid: child.pid ?? null,
    send: (m) => child.postMessage(m),
    onMessage: (cb) => child.on('message', (m: FromEngine) => cb(m)),
    onExit: (cb) => child.on('exit', (code) => cb(code)),
    kill: () => void child.kill(),
  };
}

const FILTERS: Record<string, Electron.FileFilter[]> = {
  imagery: [{ name: 'Imagery (GeoTIFF, COG, STAC item)', extensions: ['tif', 'tiff', 'json'] }],
  geojson: [{ name: 'GeoJSON', extensions: ['geojson', 'json'] }],
  pack: [],
  any: [],
};

const core = createCoreApp({
  host: 'electron',
  engine: new EngineClient(spawnUtilityEngine),
  hostHandlers: {
    'host.pickFiles': async ({ title, kind }) => {
      const win = BrowserWindow.getFocusedWindow();
      const props: Electron.OpenDialogOptions['properties'] =
        kind === 'pack' ? ['openDirectory'] : ['openFile', 'multiSelections'];
      const opts = { title, properties: props, filters: FILTERS[kind] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return { paths: r.canceled ? [] : r.filePaths };
    },
  },
});

/** Only our own page, loaded from graft://app, may call the contract. */
function trusted(frame: WebFrameMain | null): boolean {
  return !!frame && new URL(frame.url).origin === APP_ORIGIN;
}

async function serveProtocol(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host === PROTOCOL.tilesHost) {
    const m = /^\/([^/]+)\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(url.pathname);
    if (!m) return new Response('not found', { status: 404 });
    const render = url.searchParams.get('render') === 'falsecolor' ? 'falsecolor' : 'truecolor';
    try {
      const png = await core.scenes.renderTile(decodeURIComponent(m[1]!), +m[2]!, +m[3]!, +m[4]!, { render });
      return png
        ? new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png' } })
        : new Response(null, { status: 204 });
    } catch (err) {
      return new Response((err as Error).message, { status: 404 });
    }
  }
  if (url.host !== PROTOCOL.appHost) return new Response('not found', { status: 404 });
  const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
  const file = path.join(rendererDir, rel);
  if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
  const res = await net.fetch(pathToFileURL(file).toString());
  const headers = new Headers(res.headers);
  if (file.endsWith('.html')) headers.set('content-security-policy', CSP);
  return new Response(res.body, { status: res.status, headers });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'GRAFT Workbench',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (new URL(url).origin !== APP_ORIGIN) e.preventDefault();
  });
});

void app.whenReady().then(() => {
  protocol.handle(PROTOCOL.scheme, serveProtocol);
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  ipcMain.handle(IPC.request, async (event, method: unknown, params: unknown) => {
    if (!trusted(event.senderFrame))
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Untrusted sender' } };
    if (typeof method !== 'string')
      return { ok: false, error: { code: 'BAD_REQUEST', message: 'method must be a string' } };
    const controller = new AbortController();
    event.sender.once('destroyed', () => controller.abort());
    return dispatch(requests, core.handlers, method, params, { signal: controller.signal });
  });
  const win = createWindow();
  const off = core.events.onAny((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC.event, name, payload);
  });
  win.on('closed', off);
});

app.on('window-all-closed', () => {
  core.dispose();
  app.quit();
});
