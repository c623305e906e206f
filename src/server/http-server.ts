import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CSP, HTTP, requests } from '../shared/contract';
import { toErrorPayload, type ErrorCode } from '../shared/errors';
import { dispatch } from '../shared/rpc';
import { encodeWire, hasBinary } from '../shared/wire';
import type { CoreApp } from '../core/app/core-app';

/** Renders one XYZ tile of an open scene; null means "nothing there" (204). */
export type TileRenderer = (
  sceneId: string,
  z: number,
  x: number,
  y: number,
  render: string,
  signal: AbortSignal,
) => Promise<Buffer | null>;

export interface ServerOptions {
  app: CoreApp;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); otherwise a random per-launch one. */
  token?: string;
  tiles?: TileRenderer;
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string; // with ?token=
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  INVALID_INPUT: 422,
  UNSUPPORTED: 422,
  PACK_INVALID: 422,
  NOT_INDEXED: 409,
  UNKNOWN_CONCEPT: 422,
  NETWORK: 502,
  IO: 500,
  CANCELLED: 499,
  ENGINE_CRASHED: 503,
  INTERNAL: 500,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === HTTP.tokenCookie) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error(`Request body over ${limit} bytes`), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The web host: the renderer and the contract over HTTP on 127.0.0.1, every request checked
 * against a per-launch token (query parameter on first load, then an HttpOnly cookie).
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const rendererDir = path.resolve(opts.rendererDir);
  const sseClients = new Set<http.ServerResponse>();
  let port = opts.port ?? 0;

  const unsubscribe = opts.app.events.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });
  const keepAlive = setInterval(() => {
    for (const c of sseClients) c.write(': keep-alive\n\n');
  }, 15_000);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorPayload(err) });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    // DNS-rebinding guard: a page on another origin cannot reach us through a name it controls.
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '');
    const loopbackNames = ['127.0.0.1', 'localhost', '[::1]', host];
    if (!loopbackNames.includes(hostHeader)) {
      sendJson(res, 403, {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: `Host ${hostHeader} not allowed` },
      });
      return;
    }
    const given =
      url.searchParams.get(HTTP.tokenParam) ??
      (req.headers[HTTP.tokenHeader] as string | undefined) ??
      cookieToken(req);
    if (!sameToken(given ?? undefined, token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        '401: missing or wrong token. Open the URL with ?token=… that `graft-workbench serve` printed.\n',
      );
      return;
    }
    const cookie = `${HTTP.tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;

    if (url.pathname.startsWith(HTTP.rpc) && req.method === 'POST') {
      const method = decodeURIComponent(url.pathname.slice(HTTP.rpc.length));
      let params: unknown;
      try {
        const body = await readBody(req, maxBody);
        params = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        const message =
          status === 413
            ? (err as Error).message
            : `Request body is not valid JSON: ${(err as Error).message}`;
        sendJson(res, status, { ok: false, error: { code: 'BAD_REQUEST', message } });
        return;
      }
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const outcome = await dispatch(requests, opts.app.handlers, method, params, {
        signal: controller.signal,
      });
      if (outcome.ok && hasBinary(outcome.result)) {
        const frame = encodeWire(outcome.result);
        res.writeHead(200, { 'content-type': HTTP.wireType, 'cache-control': 'no-store' });
        res.end(frame);
      } else {
        sendJson(res, outcome.ok ? 200 : (STATUS[outcome.error.code] ?? 500), outcome);
      }
      return;
    }

    if (url.pathname === HTTP.events) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (url.pathname.startsWith(HTTP.tiles) && req.method === 'GET') {
      const m = /^\/tiles\/([^/]+)\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(url.pathname);
      if (!m || !opts.tiles) {
        sendJson(res, 404, {
          ok: false,
          error: { code: 'NOT_FOUND', message: `No tile route ${url.pathname}` },
        });
        return;
      }
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      try {
        const png = await opts.tiles(
          decodeURIComponent(m[1]!),
          Number(m[2]),
          Number(m[3]),
          Number(m[4]),
          url.searchParams.get('render') ?? 'truecolor',
          controller.signal,
        );
        if (!png) {
          res.writeHead(204, { 'cache-control': 'no-store' });
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' });
          res.end(png);
        }
      } catch (err) {
        const error = toErrorPayload(err);
        sendJson(res, STATUS[error.code] ?? 500, { ok: false, error });
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `${req.method} not allowed here` },
      });
      return;
    }
    // Static renderer files; anything unknown falls back to index.html (single-page app).
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = path.join(rendererDir, rel);
    if (!file.startsWith(rendererDir) || !existsSync(file) || statSync(file).isDirectory()) {
      file = path.join(rendererDir, 'index.html');
    }
    if (!existsSync(file)) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The renderer is not built (${rendererDir} has no index.html). Run: npm run build:renderer\n`);
      return;
    }
    const ext = path.extname(file);
    const headers: Record<string, string> = {
      'content-type': MIME[ext] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'set-cookie': cookie,
    };
    if (ext === '.html') {
      headers['content-security-policy'] = CSP;
      headers['cache-control'] = 'no-store';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${hostForUrl}:${port}`;
  return {
    url: `${origin}/?${HTTP.tokenParam}=${token}`,
    origin,
    port,
    token,
    close: async () => {
      clearInterval(keepAlive);
      unsubscribe();
      for (const c of sseClients) c.end();
      sseClients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
