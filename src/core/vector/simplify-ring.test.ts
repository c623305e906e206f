import { describe, expect, it } from 'vitest';
import { maskToPolygons } from './mask-to-polygons';
import { isValidPolygons, ringSignedArea } from './ring-validity';
import { simplifyPolygons, simplifyRing } from './simplify-ring';
import type { Ring } from './types';

function discMask(size: number, r: number): Uint8Array {
  const m = new Uint8Array(size * size);
  const c = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) m[y * size + x] = (x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2 <= r * r ? 1 : 0;
  return m;
}

describe('simplifyRing / simplifyPolygons', () => {
  it('drops staircase vertices of a disc, keeps it valid and close in area', () => {
    const [o] = maskToPolygons(discMask(64, 25), 64, 64);
    const ring = o.polygons[0][0];
    const s = simplifyRing(ring, 0.6, 0.6); // 1 pixel tolerance at 0.6 m pixels
    expect(s.length).toBeLessThan(ring.length / 2);
    expect(isValidPolygons([[s]])).toBe(true);
    // Douglas-Peucker moves the outline by at most the tolerance: |dA| <= tol * perimeter.
    const perimeter = 2 * Math.PI * 25;
    expect(Math.abs(ringSignedArea(s) - ringSignedArea(ring))).toBeLessThan(1 * perimeter);
  });

  it('returns a copy for zero tolerance and rejects a bad pixel size', () => {
    const [o] = maskToPolygons(discMask(16, 5), 16, 16);
    expect(simplifyRing(o.polygons[0][0], 0, 1)).toEqual(o.polygons[0][0]);
    expect(() => simplifyRing(o.polygons[0][0], 1, 0)).toThrow(/pixel size/);
  });

  it('falls back to the unsimplified ring where simplification would cross a hole', () => {
    // Exterior with outward zigzag peaks (4 px) and a hole under the first peak that pokes
    // above the peaks' base line: dropping the peaks (tolerance 5 px) would cut the hole.
    const exterior: Ring = [
      [0, 0],
      [10, -4],
      [20, 0],
      [30, -4],
      [40, 0],
      [40, 20],
      [0, 20],
      [0, 0],
    ];
    const hole: Ring = [
      [8, -3],
      [8, 1],
      [12, 1],
      [12, -3],
      [8, -3],
    ];
    expect(isValidPolygons([[exterior, hole]])).toBe(true);
    const alone = simplifyRing(exterior, 5, 1);
    expect(alone).toHaveLength(5); // the peaks went
    expect(isValidPolygons([[alone, hole]])).toBe(false); // the hazard is real
    const s = simplifyPolygons([[exterior, hole]], 5, 1);
    expect(isValidPolygons(s)).toBe(true);
    expect(s[0][0]).toEqual(exterior);
  });

  it('pins corners where parts of an 8-connected object touch', () => {
    const w = 30;
    const m = new Uint8Array(w * w);
    for (let y = 2; y < 14; y++) for (let x = 2; x < 14; x++) m[y * w + x] = 1;
    for (let y = 14; y < 28; y++) for (let x = 14; x < 28; x++) m[y * w + x] = 1;
    const [o] = maskToPolygons(m, w, w, { connectivity: 8 });
    const s = simplifyPolygons(o.polygons, 5, 1);
    expect(s).toHaveLength(2);
    expect(s.flat().every((r) => r.some(([x, y]) => x === 14 && y === 14))).toBe(true);
    expect(isValidPolygons(s)).toBe(true);
  });
});
