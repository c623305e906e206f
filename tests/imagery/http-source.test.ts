import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SceneRegistry, imageryHandlers, openScene } from '../../src/core/imagery/index';
import { imageryRequests } from '../../src/shared/contract/imagery';
import { FIX, HAS_GDAL, ensureFixtures } from './helpers';

/** Serves tests/.fixtures/imagery over HTTP; `ranges` false answers 200 with the whole file (a server that ignores Range). */
function serve(ranges: boolean): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const file = path.join(FIX, path.basename(decodeURIComponent(req.url ?? '')));
    requests.push(`${req.headers.range ?? 'full'} ${req.url}`);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const data = fs.readFileSync(file);
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (ranges && m) {
      const start = Number(m[1]);
      const end = Math.min(data.length - 1, m[2] ? Number(m[2]) : data.length - 1);
      res.writeHead(206, {
        'Content-Range': `bytes ${start}-${end}/${data.length}`,
        'Content-Length': String(end - start + 1),
        'Accept-Ranges': 'bytes',
      });
      res.end(data.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'Content-Length': String(data.length) }).end(data);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

describe.skipIf(!HAS_GDAL)('COG over HTTP range requests', () => {
  let withRanges: Awaited<ReturnType<typeof serve>>;
  let noRanges: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    ensureFixtures();
    withRanges = await serve(true);
    noRanges = await serve(false);
  });
  afterAll(async () => {
    await withRanges?.close();
    await noRanges?.close();
  });

  it('reads the same metadata and pixels as the local file, without fetching it whole', async () => {
    const local = await openScene([path.join(FIX, 'naip_26914_20210615.tif')]);
    const remote = await openScene([`${withRanges.url}/naip_26914_20210615.tif`]);
    const strip = (i: ReturnType<typeof local.info>) => ({ ...i, id: '', sources: [], name: '' });
    expect(strip(remote.info())).toEqual(strip(local.info()));
    const win = { x: 300, y: 200, width: 40, height: 30 };
    const a = await local.readWindow(win);
    const b = await remote.readWindow(win);
    expect(b.data.map((d) => Array.from(d))).toEqual(a.data.map((d) => Array.from(d)));
    expect(withRanges.requests.every((r) => r.startsWith('bytes='))).toBe(true);
    local.close();
    remote.close();
  });

  it('band files by URL stack like local ones', async () => {
    const urls = ['B02', 'B03', 'B04', 'B08'].map((b) => `${withRanges.url}/S2B_36QWD_20230105_L2A_${b}.tif`);
    const scene = await openScene(urls);
    expect(scene.bands.map((b) => b.name)).toEqual(['B', 'G', 'R', 'NIR']);
    scene.close();
  });

  it('a server that ignores Range is a NETWORK error naming the URL', async () => {
    const url = `${noRanges.url}/naip_26914_20210615.tif`;
    const err = await openScene([url]).catch((e) => e);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain(url);
    expect(err.message).toMatch(/ignores HTTP Range/);
  });

  it('a 404 is a NETWORK error naming the URL', async () => {
    const url = `${withRanges.url}/nope.tif`;
    const err = await openScene([url]).catch((e) => e);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe(`${url}: HTTP 404 Not Found`);
  });

  it('a closed port is a NETWORK error naming the URL', async () => {
    const err = await openScene(['http://127.0.0.1:9/x.tif']).catch((e) => e);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1:9\/x\.tif: cannot fetch/);
  });
});

describe.skipIf(!HAS_GDAL)('SceneRegistry and contract handlers', () => {
  beforeAll(ensureFixtures);

  it('opens once per source set, validates against the contract, caches tiles and closes', async () => {
    const registry = new SceneRegistry();
    const h = imageryHandlers(registry);
    const ctx = { signal: new AbortController().signal };
    const req = imageryRequests['imagery.open'].req.parse({
      sources: [path.join(FIX, 'naip_26914_20210615.tif')],
    });
    const info = imageryRequests['imagery.open'].res.parse(await h['imagery.open'](req, ctx));
    const again = await h['imagery.open'](req, ctx);
    expect(again.id).toBe(info.id);
    expect(imageryRequests['imagery.list'].res.parse(await h['imagery.list']({}, ctx))).toHaveLength(1);
    expect((await h['imagery.info']({ sceneId: info.id }, ctx)).width).toBe(600);
    const [w, s, e, n] = info.boundsWgs84;
    const z = 16;
    const x = Math.floor((((w + e) / 2 + 180) / 360) * 2 ** z);
    const lat = (((s + n) / 2) * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
    const t1 = await registry.renderTile(info.id, z, x, y, { render: 'truecolor' });
    const t2 = await registry.renderTile(info.id, z, x, y, { render: 'truecolor' });
    expect(t1).not.toBeNull();
    expect(t2).toBe(t1); // same Buffer: served from the cache
    expect(await h['imagery.close']({ sceneId: info.id }, ctx)).toEqual({ closed: true });
    await expect(h['imagery.info']({ sceneId: info.id }, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(imageryRequests['imagery.open'].req.safeParse({ sources: [] }).success).toBe(false);
  });

  it('cancellation rejects with CANCELLED', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(openScene([path.join(FIX, 'naip_26914_20210615.tif')], {}, ac.signal)).rejects.toMatchObject(
      { code: 'CANCELLED' },
    );
  });
});
