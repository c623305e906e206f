import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskToPolygons } from '../../src/core/vector/mask-to-polygons';
import { simplifyPolygons } from '../../src/core/vector/simplify-ring';
import type { MaskObject, PolygonRings } from '../../src/core/vector/types';
import { fixtureDir, hasGdal, runPy } from './gdal-tools';
import { mulberry32 } from '../support/prng';

interface Side {
  features: number;
  parts: number;
  holes: number;
  invalid: number;
  area: number;
}
interface Comparison {
  gdal: Side;
  ours: Side;
  symDiffArea: number;
  maskPixels: number;
}

/** Random blobs (discs and rings) plus salt noise: holes, diagonal contacts, edge contacts. */
function blobMask(w: number, h: number, seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  const m = new Uint8Array(w * h);
  for (let k = 0; k < 25; k++) {
    const cx = rnd() * w;
    const cy = rnd() * h;
    const r = 2 + rnd() * 12;
    const inner = rnd() < 0.3 ? r * 0.5 : -1;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        if (d2 <= r * r && d2 > inner * Math.abs(inner)) m[y * w + x] = 1;
      }
  }
  for (let i = 0; i < m.length; i++) if (rnd() < 0.04) m[i] ^= 1;
  return m;
}

const CASES: { name: string; w: number; h: number; mask: () => Uint8Array }[] = [
  { name: 'empty', w: 16, h: 12, mask: () => new Uint8Array(16 * 12) },
  {
    name: 'single-pixel',
    w: 9,
    h: 7,
    mask: () => Uint8Array.from({ length: 63 }, (_, i) => (i === 31 ? 1 : 0)),
  },
  { name: 'full', w: 10, h: 6, mask: () => new Uint8Array(60).fill(1) },
  {
    name: 'checkerboard',
    w: 13,
    h: 11,
    mask: () => Uint8Array.from({ length: 143 }, (_, i) => ((i % 13) + Math.floor(i / 13)) % 2),
  },
  {
    name: 'random-45%',
    w: 97,
    h: 83,
    mask: () => {
      const r = mulberry32(7);
      return Uint8Array.from({ length: 97 * 83 }, () => (r() < 0.45 ? 1 : 0));
    },
  },
  { name: 'blobs-edge', w: 128, h: 96, mask: () => blobMask(128, 96, 3) },
];

function toPixelGeoJson(objs: MaskObject[], polys: (o: MaskObject) => PolygonRings[]): string {
  const features = objs.map((o) => {
    const p = polys(o);
    return {
      type: 'Feature',
      properties: { id: o.id },
      geometry:
        p.length === 1 ? { type: 'Polygon', coordinates: p[0] } : { type: 'MultiPolygon', coordinates: p },
    };
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe.skipIf(!hasGdal())('maskToPolygons against gdal.Polygonize (GDAL 3.6, python3-gdal)', () => {
  const dir = fixtureDir('mask-vs-gdal');
  for (const c of CASES) {
    for (const connectivity of [4, 8] as const) {
      it(`${c.name}, ${connectivity}-connected: same features, parts and holes; symmetric difference 0`, () => {
        const mask = c.mask();
        const maskPath = path.join(dir, `${c.name}.u8`);
        const oursPath = path.join(dir, `${c.name}-${connectivity}.geojson`);
        fs.writeFileSync(maskPath, mask);
        const objs = maskToPolygons(mask, c.w, c.h, { connectivity });
        fs.writeFileSync(
          oursPath,
          toPixelGeoJson(objs, (o) => o.polygons),
        );
        const r = runPy<Comparison>('gdal-compare.py', [
          maskPath,
          String(c.w),
          String(c.h),
          String(connectivity),
          oursPath,
        ]);
        console.log(
          `${c.name} c${connectivity}: gdal ${JSON.stringify(r.gdal)} ours ${JSON.stringify(r.ours)} symdiff ${r.symDiffArea}`,
        );
        expect(r.ours.features).toBe(r.gdal.features);
        expect(r.ours.parts).toBe(r.gdal.parts); // GDAL's after MakeValid for 8-connected
        expect(r.ours.holes).toBe(r.gdal.holes);
        expect(r.ours.invalid).toBe(0); // GEOS IsValid on every one of ours
        expect(r.ours.area).toBe(r.maskPixels);
        // Both are unions of pixel squares with integer corners: the difference is exactly 0.
        expect(r.symDiffArea).toBe(0);
      });
    }
  }

  it('simplified polygons stay GEOS-valid and within the tolerance band of the mask', () => {
    const c = CASES[5];
    const mask = c.mask();
    const maskPath = path.join(dir, 'simplified.u8');
    const oursPath = path.join(dir, 'simplified.geojson');
    fs.writeFileSync(maskPath, mask);
    const objs = maskToPolygons(mask, c.w, c.h, { connectivity: 8 });
    const tolPx = 1.5;
    fs.writeFileSync(
      oursPath,
      toPixelGeoJson(objs, (o) => simplifyPolygons(o.polygons, tolPx, 1)),
    );
    const r = runPy<Comparison>('gdal-compare.py', [maskPath, String(c.w), String(c.h), '8', oursPath]);
    console.log(
      `simplified (tolerance ${tolPx} px): symdiff/area = ${(r.symDiffArea / r.maskPixels).toFixed(4)}`,
    );
    expect(r.ours.invalid).toBe(0);
    expect(r.ours.features).toBe(r.gdal.features);
    // Stated tolerance: Douglas-Peucker at 1.5 px on small blobs and salt noise moves under 25 % of the area.
    expect(r.symDiffArea / r.maskPixels).toBeLessThan(0.25);
  });
});
