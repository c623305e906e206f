import { describe, expect, it } from 'vitest';
import { patchFootprint } from './patch-footprint';

// A 4 × 10 grid (rows × cols) over lon 10..11, lat 50..49 (north up), and the same grid rotated by 30°.
const corners: [[number, number], [number, number], [number, number], [number, number]] = [
  [10, 50],
  [11, 50],
  [11, 49],
  [10, 49],
];

function rotate(p: [number, number], deg: number): [number, number] {
  const a = (deg * Math.PI) / 180;
  return [p[0] * Math.cos(a) - p[1] * Math.sin(a), p[0] * Math.sin(a) + p[1] * Math.cos(a)];
}

describe('patchFootprint', () => {
  it('finds the cell and its square on a north-up grid', () => {
    const f = patchFootprint({ rows: 4, cols: 10, corners }, 10.35, 49.3)!;
    // col = floor(0.35 · 10) = 3; row = floor((50 - 49.3) / 1 · 4) = 2
    expect([f.row, f.col]).toEqual([2, 3]);
    expect(f.ring[0][0]).toBeCloseTo(10.3, 12);
    expect(f.ring[0][1]).toBeCloseTo(49.5, 12);
    expect(f.ring[2][0]).toBeCloseTo(10.4, 12);
    expect(f.ring[2][1]).toBeCloseTo(49.25, 12);
    expect(f.ring[4]).toEqual(f.ring[0]);
  });

  it('is off the grid outside the quad', () => {
    expect(patchFootprint({ rows: 4, cols: 10, corners }, 9.99, 49.5)).toBeNull();
    expect(patchFootprint({ rows: 4, cols: 10, corners }, 10.5, 50.01)).toBeNull();
  });

  it('follows a rotated grid: the same grid cell, its ring rotated', () => {
    const rc = corners.map((c) => rotate(c, 30)) as typeof corners;
    const f = patchFootprint({ rows: 4, cols: 10, corners: rc }, ...rotate([10.35, 49.3], 30))!;
    expect([f.row, f.col]).toEqual([2, 3]);
    const want = rotate([10.3, 49.5], 30);
    expect(f.ring[0][0]).toBeCloseTo(want[0], 10);
    expect(f.ring[0][1]).toBeCloseTo(want[1], 10);
  });
});
