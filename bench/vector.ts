/**
 * Mask -> polygon speed: our maskToPolygons against GDAL's polygonizer on the same masks.
 * Run: node --import tsx bench/vector.ts
 *
 * Columns: ours (in-process, no file I/O); gdal_polygonize.py wall time (includes Python
 * start-up, reading the GeoTIFF and writing GeoJSON); GDAL internal (time.perf_counter around
 * gdal.Polygonize into an in-memory OGR layer, inside `python3 -c`, the fair comparison).
 * Both use 4-connectivity and polygonize foreground only (nodata 0).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskToPolygons } from '../src/core/vector/mask-to-polygons';
import { mulberry32 } from '../tests/support/prng';

const PYTHON = '/usr/bin/python3';
const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.data/vector');

export interface VectorBenchRow {
  mask: string;
  pixels: number;
  polygons: number;
  oursMs: number;
  gdalWallMs: number;
  gdalInternalMs: number;
  /** GDAL internal / ours: > 1 means we are faster. */
  ratioInternal: number;
  ratioWall: number;
}

/** Many discs and annuli of radius rMin..rMax (pixels), plus 1 % salt noise. */
function blobMask(size: number, blobs: number, rMin: number, rMax: number, seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  const m = new Uint8Array(size * size);
  for (let k = 0; k < blobs; k++) {
    const cx = rnd() * size;
    const cy = rnd() * size;
    const r = rMin + rnd() * (rMax - rMin);
    const inner = rnd() < 0.3 ? r * 0.5 : 0;
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(size, Math.ceil(cy + r)); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(size, Math.ceil(cx + r)); x++) {
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        if (d2 <= r * r && d2 >= inner * inner) m[y * size + x] = 1;
      }
  }
  for (let i = 0; i < m.length; i++) if (rnd() < 0.01) m[i] ^= 1;
  return m;
}

const WRITE_TIF = `
import sys, numpy as np
from osgeo import gdal
raw, tif, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
a = np.fromfile(raw, dtype=np.uint8).reshape(n, n)
ds = gdal.GetDriverByName('GTiff').Create(tif, n, n, 1, gdal.GDT_Byte, ['COMPRESS=DEFLATE'])
ds.SetGeoTransform([500000, 0.6, 0, 4200000, 0, -0.6])
b = ds.GetRasterBand(1); b.WriteArray(a); b.SetNoDataValue(0); ds = None
`;
const TIME_POLYGONIZE = `
import sys, time
from osgeo import gdal, ogr
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1)
mem = ogr.GetDriverByName('Memory').CreateDataSource('m')  # keep a reference: the layer dies with it
lyr = mem.CreateLayer('p', geom_type=ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn('DN', ogr.OFTInteger))
t = time.perf_counter(); gdal.Polygonize(b, b.GetMaskBand(), lyr, 0, []); dt = time.perf_counter() - t
print(dt * 1000, lyr.GetFeatureCount())
`;

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Runs the benchmark, prints a table and returns its rows. */
export function runVectorBench(): VectorBenchRow[] {
  fs.mkdirSync(DATA, { recursive: true });
  const cases = [
    { name: '1024² blobs', size: 1024, blobs: 400, rMin: 3, rMax: 30 },
    { name: '4096² many blobs', size: 4096, blobs: 8000, rMin: 2, rMax: 25 },
  ];
  const rows: VectorBenchRow[] = [];
  for (const c of cases) {
    const mask = blobMask(c.size, c.blobs, c.rMin, c.rMax, 42);
    const raw = path.join(DATA, `mask-${c.size}.u8`);
    const tif = path.join(DATA, `mask-${c.size}.tif`);
    const out = path.join(DATA, `gdal-${c.size}.geojson`);
    fs.writeFileSync(raw, mask);
    execFileSync(PYTHON, ['-c', WRITE_TIF, raw, tif, String(c.size)]);
    let polygons = 0;
    maskToPolygons(mask, c.size, c.size); // warm-up (JIT)
    const runs = c.size <= 1024 ? 5 : 2;
    const ours: number[] = [];
    for (let i = 0; i < runs; i++)
      ours.push(timeMs(() => (polygons = maskToPolygons(mask, c.size, c.size).length)));
    fs.rmSync(out, { force: true });
    const gdalWallMs = timeMs(() =>
      execFileSync(PYTHON, ['/usr/bin/gdal_polygonize.py', '-q', tif, '-f', 'GeoJSON', out]),
    );
    const [gdalInternalMs, gdalCount] = execFileSync(PYTHON, ['-c', TIME_POLYGONIZE, tif], {
      encoding: 'utf8',
    })
      .trim()
      .split(' ')
      .map(Number);
    if (gdalCount !== polygons)
      throw new Error(`${c.name}: GDAL made ${gdalCount} polygons, we made ${polygons}`);
    const oursMs = Math.min(...ours);
    rows.push({
      mask: c.name,
      pixels: mask.reduce((s, v) => s + v, 0),
      polygons,
      oursMs,
      gdalWallMs,
      gdalInternalMs,
      ratioInternal: gdalInternalMs / oursMs,
      ratioWall: gdalWallMs / oursMs,
    });
  }
  console.log('mask -> polygons (4-connected). ratio = GDAL time / our time (> 1: we are faster)');
  console.log(
    '| mask | fg pixels | polygons | ours ms (best) | GDAL Polygonize ms (internal) | gdal_polygonize.py wall ms | ratio internal | ratio wall |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.mask} | ${r.pixels} | ${r.polygons} | ${r.oursMs.toFixed(1)} | ${r.gdalInternalMs.toFixed(1)} | ${r.gdalWallMs.toFixed(1)} | ${r.ratioInternal.toFixed(2)} | ${r.ratioWall.toFixed(2)} |`,
    );
  console.log(
    'gdal_polygonize.py wall time includes Python start-up, GeoTIFF read and GeoJSON write; ours excludes any I/O.',
  );
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runVectorBench();
