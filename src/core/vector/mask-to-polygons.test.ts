import { describe, expect, it } from 'vitest';
import { maskToPolygons } from './mask-to-polygons';
import { isValidPolygons, ringSignedArea } from './ring-validity';
import type { MaskObject } from './types';

const grid = (rows: string[]): { mask: Uint8Array; w: number; h: number } => ({
  mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
  w: rows[0].length,
  h: rows.length,
});
const area = (o: MaskObject): number => o.polygons.flat().reduce((s, r) => s + ringSignedArea(r), 0);
const holes = (objs: MaskObject[]): number =>
  objs.reduce((s, o) => s + o.polygons.reduce((t, p) => t + p.length - 1, 0), 0);

describe('maskToPolygons', () => {
  it('returns nothing for an empty mask', () => {
    expect(maskToPolygons(new Uint8Array(12), 4, 3)).toEqual([]);
    expect(maskToPolygons(new Uint8Array(0), 0, 0)).toEqual([]);
  });

  it('traces a single pixel as its square, exterior positive in pixel space', () => {
    const { mask, w, h } = grid(['...', '.#.', '...']);
    const [o] = maskToPolygons(mask, w, h);
    expect(o.pixelCount).toBe(1);
    expect(o.bbox).toEqual([1, 1, 2, 2]);
    expect(o.polygons).toHaveLength(1);
    expect(o.polygons[0][0]).toHaveLength(5);
    expect(ringSignedArea(o.polygons[0][0])).toBe(1);
  });

  it('keeps only corners and traces shapes touching the raster edge', () => {
    const { mask, w, h } = grid(['####', '####', '##..']);
    const [o] = maskToPolygons(mask, w, h);
    expect(o.polygons[0][0]).toHaveLength(7); // 6 corners + closing point
    expect(area(o)).toBe(10);
    expect(o.polygons[0][0].every(([x, y]) => x >= 0 && y >= 0 && x <= w && y <= h)).toBe(true);
  });

  it('nests holes, including a hole that touches the exterior at a corner', () => {
    const { mask, w, h } = grid(['#####', '#.#.#', '#####', '###..']);
    const objs = maskToPolygons(mask, w, h);
    expect(objs).toHaveLength(1);
    expect(objs[0].polygons[0]).toHaveLength(3); // exterior + 2 holes
    expect(area(objs[0])).toBe(objs[0].pixelCount);
    expect(isValidPolygons(objs[0].polygons)).toBe(true);
    const corner = grid(['###.', '#.#.', '##.#']); // hole (1,1) reaches outside only diagonally
    const c4 = maskToPolygons(corner.mask, corner.w, corner.h);
    expect(c4).toHaveLength(2);
    expect(c4[0].polygons[0]).toHaveLength(2);
    expect(isValidPolygons(c4[0].polygons)).toBe(true);
  });

  it('splits diagonal neighbours with 4-connectivity and groups them as a MultiPolygon with 8', () => {
    const { mask, w, h } = grid(['#.', '.#']);
    expect(maskToPolygons(mask, w, h, { connectivity: 4 })).toHaveLength(2);
    const o8 = maskToPolygons(mask, w, h, { connectivity: 8 });
    expect(o8).toHaveLength(1);
    expect(o8[0].polygons).toHaveLength(2);
    expect(isValidPolygons(o8[0].polygons)).toBe(true);
  });

  it('handles a checkerboard: one polygon per pixel (4) or one object of many parts (8)', () => {
    const rows = Array.from({ length: 6 }, (_, y) =>
      Array.from({ length: 7 }, (_, x) => ((x + y) % 2 ? '.' : '#')).join(''),
    );
    const { mask, w, h } = grid(rows);
    const n = mask.reduce((s, v) => s + v, 0);
    const o4 = maskToPolygons(mask, w, h);
    expect(o4).toHaveLength(n);
    expect(holes(o4)).toBe(0);
    const o8 = maskToPolygons(mask, w, h, { connectivity: 8 });
    expect(o8).toHaveLength(1);
    expect(o8[0].polygons).toHaveLength(n);
    expect(isValidPolygons(o8[0].polygons)).toBe(true);
  });

  it('gives every object an area equal to its pixel count on random masks', () => {
    let s = 1;
    const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    for (const p of [0.2, 0.5, 0.8]) {
      const w = 41;
      const h = 29;
      const mask = Uint8Array.from({ length: w * h }, () => (rnd() < p ? 1 : 0));
      for (const connectivity of [4, 8] as const) {
        const objs = maskToPolygons(mask, w, h, { connectivity });
        expect(objs.reduce((t, o) => t + o.pixelCount, 0)).toBe(mask.reduce((t, v) => t + v, 0));
        for (const o of objs) {
          expect(area(o)).toBe(o.pixelCount);
          expect(isValidPolygons(o.polygons)).toBe(true);
        }
      }
    }
  });

  it('rejects a mask whose length does not match its size', () => {
    expect(() => maskToPolygons(new Uint8Array(5), 2, 2)).toThrow(/5 bytes for 2x2/);
  });
});
