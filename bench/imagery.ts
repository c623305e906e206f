/**
 * Tile rendering benchmark: every XYZ tile of one zoom level of a large COG, rendered by our
 * renderer (geotiff.js windows + proj4 + bilinear + sharp PNG, one thread) against
 * `gdal2tiles.py -z Z --xyz -r bilinear --processes 1` on the same input, same zoom.
 *
 * Input (cached in bench/.data/): the NAIP sample opengeos_m_4709963_se_14_1_20200831_5m.tif
 * (934×723, 5 m) upsampled with `gdal_translate -outsize BENCH_SIZE 0 -r bilinear -of COG
 * -co COMPRESS=DEFLATE -co BLOCKSIZE=512` (overviews made by the COG driver). BENCH_SIZE defaults
 * to 8000 px wide (~0.58 m pixels, 8000×6193×4 bytes) so the default run stays under ~3 minutes on
 * 2 cores; BENCH_SIZE=20000 gives the 20,000-px case. BENCH_ZOOM overrides the zoom (default:
 * two levels above the native zoom, i.e. overview reads, ~100–200 tiles).
 *
 * Run: node --import tsx bench/imagery.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openScene, renderTile } from '../src/core/imagery/index';

export interface Row {
  name: string;
  tiles: number;
  wallS: number;
  msPerTile: number;
  /** Wall time relative to gdal2tiles (lower is faster). */
  ratio: number;
  peakRssMB: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '../../shared/data');
const SAMPLE = path.join(DATA, 'naip/opengeos_m_4709963_se_14_1_20200831_5m.tif');

function buildInput(size: number): string {
  const dir = path.join(here, '.data');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `naip_bench_${size}.tif`);
  if (!fs.existsSync(out)) {
    execFileSync(
      'gdal_translate',
      [
        '-q',
        '-outsize',
        String(size),
        '0',
        '-r',
        'bilinear',
        '-of',
        'COG',
        '-co',
        'COMPRESS=DEFLATE',
        '-co',
        'BLOCKSIZE=512',
        '-co',
        'NUM_THREADS=2',
        SAMPLE,
        out,
      ],
      { stdio: 'inherit' },
    );
  }
  return out;
}

function tileRange(
  bounds: [number, number, number, number],
  z: number,
): { x0: number; x1: number; y0: number; y1: number } {
  const n = 2 ** z;
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  return { x0: tx(bounds[0]), x1: tx(bounds[2]), y0: ty(bounds[3]), y1: ty(bounds[1]) };
}

/** Runs the benchmark and returns its rows (ours, gdal2tiles). */
export async function runImageryBench(): Promise<Row[]> {
  if (!fs.existsSync(SAMPLE)) throw new Error(`bench/imagery: sample missing (${SAMPLE})`);
  const size = Number(process.env.BENCH_SIZE ?? 8000);
  const t0 = performance.now();
  const input = buildInput(size);
  console.error(
    `input ${path.relative(process.cwd(), input)} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const scene = await openScene([input]);
  const lat = (scene.boundsWgs84[1] + scene.boundsWgs84[3]) / 2;
  const native = Math.ceil(
    Math.log2((2 * Math.PI * 6378137 * Math.cos((lat * Math.PI) / 180)) / 256 / scene.resolutionM[0]),
  );
  const z = Number(process.env.BENCH_ZOOM ?? native - 2);
  console.error(
    `scene ${scene.width}×${scene.height} at ${scene.resolutionM[0].toFixed(3)} m, zoom ${z} (native ${native})`,
  );

  // Ours: every tile of zoom z, PNG-encoded, one at a time (the same work gdal2tiles does per tile).
  const r = tileRange(scene.boundsWgs84, z);
  let ours = 0;
  const t1 = performance.now();
  for (let y = r.y0; y <= r.y1; y++) {
    for (let x = r.x0; x <= r.x1; x++) {
      const png = await renderTile(scene, z, x, y, { render: 'truecolor' });
      if (png) ours++;
    }
  }
  const oursS = (performance.now() - t1) / 1000;
  const oursRss = process.resourceUsage().maxRSS / 1024;
  scene.close();

  // Reference: gdal2tiles.py for the same zoom, one process, bilinear, no web viewer.
  const outDir = path.join(here, '.data', `g2t_${size}_${z}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  // gdal2tiles reads a 4-band input as RGBA: give it R,G,B (nodata 0 kept) through a VRT, as our truecolor uses.
  const rgbVrt = path.join(here, '.data', `naip_bench_${size}_rgb.vrt`);
  execFileSync('gdal_translate', ['-q', '-of', 'VRT', '-b', '1', '-b', '2', '-b', '3', input, rgbVrt]);
  const t2 = performance.now();
  const g = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      'gdal2tiles.py',
      '-q',
      '-z',
      String(z),
      '--xyz',
      '-r',
      'bilinear',
      '--processes=1',
      '-w',
      'none',
      rgbVrt,
      outDir,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, GDAL_PAM_ENABLED: 'NO' },
    },
  );
  const gdalS = (performance.now() - t2) / 1000;
  if (g.status !== 0) throw new Error(`gdal2tiles failed: ${g.stderr}`);
  const gdalRss = Number(g.stderr.trim().split('\n').pop()) / 1024;
  const zDir = path.join(outDir, String(z));
  const gdalTiles = fs.existsSync(zDir)
    ? fs
        .readdirSync(zDir)
        .reduce((n, d) => n + fs.readdirSync(path.join(zDir, d)).filter((f) => f.endsWith('.png')).length, 0)
    : 0;
  fs.rmSync(outDir, { recursive: true, force: true });

  return [
    {
      name: `ours (geotiff.js+proj4+sharp), z${z}`,
      tiles: ours,
      wallS: oursS,
      msPerTile: (oursS * 1000) / Math.max(1, ours),
      ratio: oursS / gdalS,
      peakRssMB: oursRss,
    },
    {
      name: `gdal2tiles.py --processes=1, z${z}`,
      tiles: gdalTiles,
      wallS: gdalS,
      msPerTile: (gdalS * 1000) / Math.max(1, gdalTiles),
      ratio: 1,
      peakRssMB: gdalRss,
    },
  ];
}

function printTable(rows: Row[]): void {
  console.log('| renderer | tiles | wall s | ms/tile | ratio vs gdal2tiles | peak RSS MB |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.tiles} | ${r.wallS.toFixed(2)} | ${r.msPerTile.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.peakRssMB.toFixed(0)} |`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  printTable(await runImageryBench());
}
