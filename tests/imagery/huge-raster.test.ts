import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScene } from '../../src/core/imagery/index';
import { renderTileRgba } from '../../src/core/imagery/render-tile';
import { FIX, HAS_GDAL, ROOT } from './helpers';

const PY = '/usr/bin/python3';
const hasPyGdal =
  HAS_GDAL && spawnSync(PY, ['-c', 'from osgeo import gdal; import numpy'], { stdio: 'ignore' }).status === 0;
const FILE = path.join(FIX, 'huge-50000-sparse.tif');

/** Web Mercator XYZ tile containing lon/lat at zoom z. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

/**
 * "Never read a whole raster": a 50,000 × 50,000 scene (10 GB of pixels, a 4096² block of data in
 * the middle, the rest sparse) is opened over HTTP range requests and one tile of its data is
 * rendered; the bytes the server was asked for must stay a small fraction of the file.
 */
describe.skipIf(!hasPyGdal)('a 50,000 × 50,000 raster over HTTP', () => {
  let server: http.Server;
  let url: string;
  let requested = 0;
  let fileBytes = 0;

  beforeAll(() => {
    if (!fs.existsSync(FILE)) {
      fs.mkdirSync(FIX, { recursive: true });
      execFileSync(PY, [path.join(ROOT, 'tests/fixtures/make-huge-sparse.py'), FILE], { stdio: 'inherit' });
    }
    fileBytes = fs.statSync(FILE).size;
    server = http.createServer((req, res) => {
      const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
      if (!m) {
        res.writeHead(200, { 'content-length': fileBytes, 'accept-ranges': 'bytes' });
        requested += fileBytes;
        fs.createReadStream(FILE).pipe(res);
        return;
      }
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : fileBytes - 1, fileBytes - 1);
      requested += end - start + 1;
      res.writeHead(206, {
        'content-range': `bytes ${start}-${end}/${fileBytes}`,
        'content-length': end - start + 1,
        'accept-ranges': 'bytes',
      });
      fs.createReadStream(FILE, { start, end }).pipe(res);
    });
    return new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/huge.tif`;
        resolve();
      }),
    );
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('opens and renders a tile while reading a small fraction of the file', async () => {
    const scene = await openScene([url]);
    expect([scene.width, scene.height, scene.bands.length]).toEqual([50_000, 50_000, 4]);
    expect(scene.crs.epsg).toBe(26914);
    const afterOpen = requested;
    // A tile inside the data block (pixel centre of the block → lon/lat), at about native resolution.
    const [lon, lat] = scene.toWgs84(23_040 + 2048, 23_040 + 2048);
    const [x, y] = tileAt(lon, lat, 15);
    const rgba = await renderTileRgba(scene, 15, x, y, { render: 'truecolor' });
    expect(rgba).not.toBeNull();
    let opaque = 0;
    for (let i = 3; i < rgba!.length; i += 4) if (rgba![i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(256 * 256 * 0.9);
    scene.close();
    // The file is tens of MB and stands for 10 GB of pixels; open + one tile stays under 5 % of it.
    console.log(
      `[huge] file ${fileBytes} B; requested after open ${afterOpen} B, after a tile ${requested} B`,
    );
    expect(afterOpen).toBeLessThan(fileBytes * 0.05);
    expect(requested).toBeLessThan(fileBytes * 0.05);
  });
});
