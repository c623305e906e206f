import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { maskToPolygons } from './mask-to-polygons';
import { pixelRingsToWorld, type GeoTransform } from './pixel-rings-to-world';

// UTM zone 10N, 0.6 m NAIP-like pixels, north-up.
const utm10 = proj4('+proj=utm +zone=10 +datum=WGS84 +units=m +no_defs', 'WGS84');
const toWgs84 = (x: number, y: number): [number, number] => utm10.forward([x, y]) as [number, number];
const gt: GeoTransform = [500000, 0.6, 0, 4200000, 0, -0.6];
const signed = (r: number[][]): number =>
  r.slice(1).reduce((s, p, i) => s + r[i][0] * p[1] - p[0] * r[i][1], 0) / 2;

describe('pixelRingsToWorld', () => {
  const w = 50;
  const mask = new Uint8Array(w * w);
  for (let y = 5; y < 45; y++) for (let x = 5; x < 40; x++) mask[y * w + x] = 1;
  for (let y = 15; y < 25; y++) for (let x = 15; x < 25; x++) mask[y * w + x] = 0;

  it('georeferences with RFC 7946 winding, closed rings and 1e-7 degree rounding', () => {
    const [o] = maskToPolygons(mask, w, w);
    const { geometry, areaNative, areaTurfM2 } = pixelRingsToWorld(o.polygons, gt, toWgs84);
    expect(geometry.type).toBe('Polygon');
    const rings = geometry.coordinates as number[][][];
    expect(rings).toHaveLength(2);
    expect(signed(rings[0])).toBeGreaterThan(0); // exterior counter-clockwise
    expect(signed(rings[1])).toBeLessThan(0); // hole clockwise
    for (const r of rings) {
      expect(r[0]).toEqual(r[r.length - 1]);
      for (const [lon, lat] of r) {
        expect(Math.round(lon * 1e7) / 1e7).toBe(lon);
        expect(Math.round(lat * 1e7) / 1e7).toBe(lat);
      }
    }
    expect(areaNative).toBeCloseTo(o.pixelCount * 0.36, 6);
    // UTM area scale near the central meridian is k0^2 = 0.9992; allow 0.3 %.
    expect(Math.abs(areaTurfM2 / areaNative - 1)).toBeLessThan(0.003);
  });

  it('re-orients when the geotransform flips y (south-up) and writes MultiPolygons for parts', () => {
    const m = new Uint8Array(16);
    m[0] = 1;
    m[5] = 1;
    const [o] = maskToPolygons(m, 4, 4, { connectivity: 8 });
    const { geometry } = pixelRingsToWorld(o.polygons, [500000, 10, 0, 4000000, 0, 10], toWgs84);
    expect(geometry.type).toBe('MultiPolygon');
    for (const poly of geometry.coordinates as number[][][][]) expect(signed(poly[0])).toBeGreaterThan(0);
  });

  it('rejects a broken geotransform', () => {
    const [o] = maskToPolygons(mask, w, w);
    expect(() => pixelRingsToWorld(o.polygons, [0, NaN, 0, 0, 0, 1], toWgs84)).toThrow(/geotransform/);
  });
});
