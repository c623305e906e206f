import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../src/core/util/paths';

export const ROOT = repoRoot();
export const DATA = path.resolve(ROOT, '../shared/data');
export const HAS_DATA = fs.existsSync(DATA);
export const FIX = path.join(ROOT, 'tests/.fixtures/imagery');

export const HAS_GDAL = (() => {
  try {
    execFileSync('gdalinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs tests/fixtures/make-imagery-fixtures.sh when any of its outputs is missing. */
export function ensureFixtures(): void {
  const outputs = [
    'naip_26914_20210615.tif',
    'S2B_36QWD_20230105_L2A_B08.tif',
    'bad_lzma.tif',
    's2-item.stac.json',
    'masked_rgb_26910.tif',
  ];
  if (outputs.every((f) => fs.existsSync(path.join(FIX, f)))) return;
  execFileSync('bash', [path.join(ROOT, 'tests/fixtures/make-imagery-fixtures.sh'), FIX], {
    stdio: 'inherit',
  });
}

/** A scene under test: its sources as openScene takes them and the single file GDAL sees. */
export interface Case {
  label: string;
  sources: string[];
}

const s2 = (b: string) => path.join(DATA, `sentinel2/S2A_29RKH_20200219_L2A_${b}_100m.tif`);

/** Every raster sample in /work/shared/data (band files stacked as the app stacks them). */
export function sampleCases(): Case[] {
  const naip = (f: string) => path.join(DATA, 'naip', f);
  return [
    { label: 'clarype NAIP uint16', sources: [naip('clarype_naip_rgbn_1m_26910.tif')] },
    { label: 'clarype DSM float32', sources: [naip('clarype_dsm_1m_26910.tif')] },
    ...['20090818', '20140720', '20200831'].map((d) => ({
      label: `opengeos NAIP ${d}`,
      sources: [naip(`opengeos_m_4709963_se_14_1_${d}_5m.tif`)],
    })),
    { label: 'rio-tiler HRO RGB', sources: [naip('riotiler_usgs_hro_colorado_rgb_0.15m.tif')] },
    { label: 'openlayers DOP 25832', sources: [naip('openlayers_dop_rgb_1.67m_25832.tif')] },
    { label: 'S2 29RKH B02-B08 stack', sources: ['B02', 'B03', 'B04', 'B08'].map(s2) },
    { label: 'S2 29RKH TCI', sources: [s2('TCI')] },
    { label: 'S2 29RKH SCL', sources: [path.join(DATA, 'sentinel2/S2A_29RKH_20200219_L2A_SCL.tif')] },
    {
      label: 'S2 36QWD B04+B08 crop',
      sources: ['B04', 'B08'].map((b) =>
        path.join(DATA, `sentinel2/openlayers_S2A_36QWD_20200701_L2A_${b}_10m_crop.tif`),
      ),
    },
  ];
}

/** The GDAL-made fixtures that open successfully. */
export function fixtureCases(): Case[] {
  return [
    { label: 'fixture NAIP 26914 COG', sources: [path.join(FIX, 'naip_26914_20210615.tif')] },
    {
      label: 'fixture S2 32636 band files',
      sources: ['B02', 'B03', 'B04', 'B08'].map((b) => path.join(FIX, `S2B_36QWD_20230105_L2A_${b}.tif`)),
    },
    { label: 'fixture RGB 4326', sources: [path.join(FIX, 'rgb_4326.tif')] },
    { label: 'fixture masked RGB 26910', sources: [path.join(FIX, 'masked_rgb_26910.tif')] },
  ];
}

/** The parts of `gdalinfo -json` the tests compare. */
export interface GdalInfo {
  size: [number, number];
  geoTransform: number[];
  coordinateSystem?: { wkt?: string };
  bands: { type: string; noDataValue?: number }[];
  wgs84Extent: { coordinates: [number, number][][] };
}

export function gdalinfoJson(file: string): GdalInfo {
  return JSON.parse(execFileSync('gdalinfo', ['-json', file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** The EPSG code GDAL reports: the last ID["EPSG",N] of the WKT (the CRS's own id). */
export function gdalEpsg(info: GdalInfo): number | null {
  const ids = [...String(info.coordinateSystem?.wkt ?? '').matchAll(/ID\["EPSG",(\d+)\]/g)];
  return ids.length ? Number(ids[ids.length - 1][1]) : null;
}

export const GDAL_TYPES: Record<string, string> = {
  Byte: 'uint8',
  UInt16: 'uint16',
  Int16: 'int16',
  UInt32: 'uint32',
  Int32: 'int32',
  Float32: 'float32',
  Float64: 'float64',
};

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `graft-imagery-${tag}-`));
}

/** gdaltransform: pixel/line of `file` → lon/lat (traditional GIS order). */
export function gdalPixelToLonLat(file: string, pts: [number, number][]): [number, number][] {
  const out = execFileSync('gdaltransform', ['-t_srs', 'EPSG:4326', file], {
    input: pts.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n',
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]);
}
