import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openScene } from '../../src/core/imagery/index';
import { selectStacAssets } from '../../src/core/imagery/stac';
import { AppError } from '../../src/shared/errors';
import {
  DATA,
  FIX,
  GDAL_TYPES,
  HAS_DATA,
  HAS_GDAL,
  type Case,
  ensureFixtures,
  fixtureCases,
  gdalEpsg,
  gdalPixelToLonLat,
  gdalinfoJson,
  sampleCases,
  tmpDir,
} from './helpers';

/**
 * Scene metadata against `gdalinfo -json` of the same file(s). Geotransforms must agree to 1e-9
 * relative (both read the same TIFF doubles); WGS84 bounds to 1e-6° at the corners (proj4js vs
 * PROJ, both with null NAD83/ETRS89→WGS84 shifts) and our bounds may only exceed GDAL's corner
 * extent by the curvature of the scene's edges (sampled at 21 points per edge; < 2e-3° for a
 * 110 km UTM tile).
 */
async function compareWithGdal(c: Case): Promise<void> {
  const scene = await openScene(c.sources);
  try {
    const infos = c.sources.map(gdalinfoJson);
    const g = infos[0];
    expect([scene.width, scene.height]).toEqual(g.size);
    const gdalBands = infos.flatMap((i) => i.bands);
    expect(scene.bands.length).toBe(gdalBands.length);
    expect(scene.bands.map((b) => b.dataType)).toEqual(gdalBands.map((b) => GDAL_TYPES[b.type]));
    expect(scene.crs.epsg).toBe(gdalEpsg(g));
    scene.geoTransform.forEach((v, i) =>
      expect(Math.abs(v - g.geoTransform[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))),
    );
    expect(scene.nodata).toBe(g.bands[0].noDataValue ?? null);
    const ring: [number, number][] = g.wgs84Extent.coordinates[0];
    const gw = Math.min(...ring.map((p) => p[0]));
    const ge = Math.max(...ring.map((p) => p[0]));
    const gs = Math.min(...ring.map((p) => p[1]));
    const gn = Math.max(...ring.map((p) => p[1]));
    const [w, s, e, n] = scene.boundsWgs84;
    expect(w).toBeLessThanOrEqual(gw + 1e-6);
    expect(s).toBeLessThanOrEqual(gs + 1e-6);
    expect(e).toBeGreaterThanOrEqual(ge - 1e-6);
    expect(n).toBeGreaterThanOrEqual(gn - 1e-6);
    for (const [a, b] of [
      [w, gw],
      [s, gs],
      [e, ge],
      [n, gn],
    ])
      expect(Math.abs(a - b)).toBeLessThan(2e-3);
    // Pixel-exact georeferencing: corners and a sub-pixel point against gdaltransform.
    const pts: [number, number][] = [
      [0, 0],
      [scene.width, 0],
      [0, scene.height],
      [scene.width, scene.height],
      [10.25, 7.75],
    ];
    const ref = gdalPixelToLonLat(c.sources[0], pts);
    pts.forEach(([px, py], i) => {
      const [lon, lat] = scene.toWgs84(px, py);
      expect(Math.abs(lon - ref[i][0])).toBeLessThan(1e-7);
      expect(Math.abs(lat - ref[i][1])).toBeLessThan(1e-7);
      const [bx, by] = scene.fromWgs84(lon, lat);
      expect(Math.abs(bx - px)).toBeLessThan(1e-4);
      expect(Math.abs(by - py)).toBeLessThan(1e-4);
    });
  } finally {
    scene.close();
  }
}

describe.skipIf(!HAS_GDAL)('imagery info vs gdalinfo: GDAL-made fixtures', () => {
  beforeAll(ensureFixtures);
  for (const c of fixtureCases()) it(c.label, () => compareWithGdal(c));

  it('profiles, band names, S2 offset and dates', async () => {
    const naip = await openScene([path.join(FIX, 'naip_26914_20210615.tif')]);
    expect(naip.profile).toBe('naip');
    expect(naip.bands.map((b) => b.name)).toEqual(['R', 'G', 'B', 'NIR']);
    expect(naip.date).toBe('2021-06-15');
    expect(naip.availableRenders).toEqual(['truecolor', 'falsecolor']);
    naip.close();
    const files = fixtureCases()[1].sources;
    const s2 = await openScene(files);
    expect(s2.profile).toBe('sentinel2-l2a');
    expect(s2.bands.map((b) => b.name)).toEqual(['B', 'G', 'R', 'NIR']);
    expect(s2.date).toBe('2023-01-05');
    // Baseline 05.09 (GDAL metadata): reflectance = (DN - 1000) / 10000. Compare with the DN GDAL reads.
    const win = await s2.readWindow({ x: 100, y: 50, width: 4, height: 3 }, { bands: ['R'] });
    const ref = gdalValues(files[2], 100, 50, 4, 3);
    win.data[0].forEach((v, i) => expect(v).toBeCloseTo((ref[i] - 1000) / 10000, 6));
    s2.close();
  });

  it('a STAC item with relative hrefs stacks its B,G,R,NIR assets', async () => {
    const scene = await openScene([path.join(FIX, 's2-item.stac.json')]);
    expect(scene.name).toBe('S2B_36QWD_20230105_0_L2A');
    expect(scene.bands.map((b) => b.name)).toEqual(['B', 'G', 'R', 'NIR']);
    expect(scene.profile).toBe('sentinel2-l2a');
    expect(scene.date).toBe('2023-01-05');
    expect(scene.rasters.map((r) => r.name)).toEqual(
      ['B02', 'B03', 'B04', 'B08'].map((b) => `S2B_36QWD_20230105_L2A_${b}.tif`),
    );
    scene.close();
  });

  const bad: [string, string, RegExp][] = [
    ['bad_truncated.tif', 'INVALID_INPUT', /bad_truncated\.tif: truncated TIFF/],
    ['bad_not_a_tiff.tif', 'INVALID_INPUT', /bad_not_a_tiff\.tif: not a TIFF file/],
    ['bad_no_georef.tif', 'INVALID_INPUT', /bad_no_georef\.tif: TIFF without georeferencing/],
    ['bad_lzma.tif', 'UNSUPPORTED', /bad_lzma\.tif: unsupported TIFF compression LZMA/],
    ['missing.tif', 'NOT_FOUND', /missing\.tif: file not found/],
  ];
  for (const [file, code, msg] of bad) {
    it(`bad input: ${file}`, async () => {
      const err = await openScene([path.join(FIX, file)]).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(msg);
    });
  }

  it('band files on different grids are refused, naming both', async () => {
    const err = await openScene([
      path.join(FIX, 'S2B_36QWD_20230105_L2A_B02.tif'),
      path.join(FIX, 'S2B_36QWD_20230105_L2A_B11_20m.tif'),
    ]).catch((e) => e);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/B11_20m\.tif: grid .* does not match S2B_36QWD_20230105_L2A_B02\.tif/);
  });

  it('a truncated COG with an intact header fails on its pixels too, naming the file', async () => {
    // Cut inside the pixel data of the last tile: the open-time check must catch it.
    const dir = tmpDir('trunc');
    const src = fs.readFileSync(path.join(FIX, 'naip_26914_20210615.tif'));
    const f = path.join(dir, 'cut.tif');
    fs.writeFileSync(f, src.subarray(0, src.length - 100));
    const err = await openScene([f]).catch((e) => e);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/cut\.tif: truncated TIFF/);
  });
});

function gdalValues(file: string, x: number, y: number, w: number, h: number): number[] {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      '-c',
      'import sys;from osgeo import gdal;a=gdal.Open(sys.argv[1]).ReadAsArray(*map(int,sys.argv[2:6]));print(" ".join(map(str,a.ravel())))',
      file,
      String(x),
      String(y),
      String(w),
      String(h),
    ],
    { encoding: 'utf8' },
  ) as string;
  return out.trim().split(/\s+/).map(Number);
}

describe.skipIf(!HAS_DATA || !HAS_GDAL)('imagery info vs gdalinfo: samples in ../shared/data', () => {
  for (const c of HAS_DATA ? sampleCases() : []) it(c.label, () => compareWithGdal(c));

  it('sample profiles and dates', async () => {
    const cases = sampleCases();
    const expectations: [string, string, string | null, string[]][] = [
      ['clarype NAIP uint16', 'naip', null, ['R', 'G', 'B', 'NIR']],
      ['opengeos NAIP 20200831', 'naip', '2020-08-31', ['R', 'G', 'B', 'NIR']],
      ['S2 29RKH B02-B08 stack', 'sentinel2-l2a', '2020-02-19', ['B', 'G', 'R', 'NIR']],
      ['S2 36QWD B04+B08 crop', 'sentinel2-l2a', '2020-07-01', ['R', 'NIR']],
      ['openlayers DOP 25832', 'rgb', null, ['R', 'G', 'B']],
    ];
    for (const [label, profile, date, bands] of expectations) {
      const scene = await openScene(cases.find((c) => c.label === label)!.sources);
      expect([scene.profile, scene.date, scene.bands.map((b) => b.name)]).toEqual([profile, date, bands]);
      scene.close();
    }
  });

  it('the sample STAC item selects the B02,B03,B04,B08 COG assets and keeps baseline 02.14 (no offset)', async () => {
    const f = path.join(DATA, 'sentinel2/S2A_29RKH_20200219_0_L2A.stac.json');
    const item = JSON.parse(fs.readFileSync(f, 'utf8'));
    const sel = selectStacAssets(item, f);
    expect(sel.hrefs.map((h) => h.split('/').pop())).toEqual(['B02.tif', 'B03.tif', 'B04.tif', 'B08.tif']);
    expect(sel.processingBaseline).toBe('02.14');
    expect(sel.datetime?.slice(0, 10)).toBe('2020-02-19');
    // The same item pointing at the local 100 m files (absolute paths) opens as a 4-band scene.
    const dir = tmpDir('stac');
    for (const [k, b] of [
      ['blue', 'B02'],
      ['green', 'B03'],
      ['red', 'B04'],
      ['nir', 'B08'],
    ]) {
      item.assets[k].href = path.join(DATA, `sentinel2/S2A_29RKH_20200219_L2A_${b}_100m.tif`);
    }
    fs.writeFileSync(path.join(dir, 'item.json'), JSON.stringify(item));
    const scene = await openScene([path.join(dir, 'item.json')]);
    expect(scene.bands.map((b) => b.name)).toEqual(['B', 'G', 'R', 'NIR']);
    expect(scene.bandRefs.every((b) => b.offset === 0 && b.scale === 1e-4)).toBe(true);
    expect(scene.date).toBe('2020-02-19');
    scene.close();
  });
});
