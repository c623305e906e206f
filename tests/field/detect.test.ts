import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { topK } from '../../src/core/detect/top-k';
import { labelComponents } from '../../src/core/detect/components';
import { findDetections } from '../../src/core/detect/find-detections';
import { cellsToPolygon, pointInRing, signedArea } from '../../src/core/detect/cells-to-polygon';
import { countPerRoi, restrictToRoi, roiToGridMask } from '../../src/core/detect/roi-mask';
import type { GridRing } from '../../src/core/detect/detection-types';
import { PY, rng } from './helpers';

const HAS_OGR = (() => {
  try {
    execFileSync(PY, ['-c', 'from osgeo import ogr'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Reference labelling: union–find over all 8-neighbour pairs, relabelled by first cell. */
function refLabels(mask: Uint8Array, rows: number, cols: number): Int32Array {
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      if (!mask[r * cols + c]) continue;
      for (const [dr, dc] of [
        [0, 1],
        [1, -1],
        [1, 0],
        [1, 1],
      ]) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < rows && cc >= 0 && cc < cols && mask[rr * cols + cc])
          parent[find(r * cols + c)] = find(rr * cols + cc);
      }
    }
  const name = new Map<number, number>();
  return Int32Array.from(mask, (m, i) => {
    if (!m) return 0;
    const root = find(i);
    if (!name.has(root)) name.set(root, name.size + 1);
    return name.get(root)!;
  });
}

function randomMask(rows: number, cols: number, p: number, seed: number): Uint8Array {
  const r = rng(seed);
  return new Uint8Array(rows * cols).map(() => (r() < p ? 1 : 0));
}

describe('topK', () => {
  it('equals a full sort (NaN skipped, ties to the lower index)', () => {
    const r = rng(3);
    const s = new Float32Array(5000).map(() => (r() < 0.1 ? NaN : Math.round(r() * 200) / 100));
    const ref = Array.from(s.keys())
      .filter((i) => !Number.isNaN(s[i]))
      .sort((a, b) => s[b] - s[a] || a - b);
    for (const k of [0, 1, 7, 100, 4400, 10000]) {
      const got = topK(s, k);
      expect(Array.from(got.cells)).toEqual(ref.slice(0, k));
      expect(Array.from(got.scores)).toEqual(ref.slice(0, k).map((i) => s[i]));
    }
  });
});

describe('connected components', () => {
  it('match a union-find reference on random grids', () => {
    for (const [rows, cols, p, seed] of [
      [1, 1, 1, 1],
      [1, 50, 0.5, 2],
      [40, 1, 0.5, 3],
      [64, 80, 0.35, 4],
      [97, 61, 0.55, 5],
    ]) {
      const mask = randomMask(rows, cols, p, seed);
      const got = labelComponents(mask, rows, cols);
      const ref = refLabels(mask, rows, cols);
      expect(got.labels).toEqual(ref);
      expect(got.count).toBe(Math.max(0, ...ref));
    }
  });

  it('detections carry exact stats', () => {
    const rows = 30;
    const cols = 40;
    const r = rng(8);
    const s = new Float32Array(rows * cols).map(() => (r() < 0.05 ? NaN : r()));
    const dets = findDetections(s, rows, cols, { threshold: 0.6, patchAreaM2: 92.16 });
    const ref = refLabels(
      Uint8Array.from(s, (v) => (v >= 0.6 ? 1 : 0)),
      rows,
      cols,
    );
    expect(dets.length).toBe(Math.max(...ref));
    for (const d of dets) {
      const cells = Array.from(ref.keys()).filter((i) => ref[i] === d.id);
      expect(Array.from(d.cells)).toEqual(cells);
      const vals = cells.map((i) => s[i]);
      expect(d.peak).toBe(Math.max(...vals));
      expect(d.peakCell).toBe(cells[vals.indexOf(d.peak)]);
      expect(d.mean).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / vals.length, 12);
      expect(d.areaM2).toBeCloseTo(cells.length * 92.16, 9);
      const rs = cells.map((i) => Math.floor(i / cols));
      const cs = cells.map((i) => i % cols);
      expect(d.bbox).toEqual({
        r0: Math.min(...rs),
        r1: Math.max(...rs) + 1,
        c0: Math.min(...cs),
        c1: Math.max(...cs) + 1,
      });
    }
    for (let i = 1; i < dets.length; i++) expect(dets[i - 1].peak).toBeGreaterThanOrEqual(dets[i].peak);
  });
});

describe('cellsToPolygon', () => {
  const area = (mp: GridRing[][]) =>
    mp.reduce((s, p) => s + p.reduce((t, ring) => t + signedArea(ring), 0), 0);

  it('splits corner-touching cells and keeps holes', () => {
    expect(cellsToPolygon([0, 4], 3)).toHaveLength(2); // (0,0) and (1,1) of a 3-wide grid
    const donut = [0, 1, 2, 3, 5, 6, 7, 8]; // 3x3 ring
    const mp = cellsToPolygon(donut, 3);
    expect(mp).toHaveLength(1);
    expect(mp[0]).toHaveLength(2);
    expect(mp[0][0]).toEqual([
      [0, 0],
      [3, 0],
      [3, 3],
      [0, 3],
      [0, 0],
    ]);
    expect(mp[0][1]).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 1],
      [1, 1],
    ]);
  });

  it('covers exactly the component cells (random components), as valid (GEOS) geometry', () => {
    const all: GridRing[][][] = [];
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const rows = 24;
      const cols = 24;
      const mask = randomMask(rows, cols, 0.55, seed);
      const { labels, count } = labelComponents(mask, rows, cols);
      for (let l = 1; l <= count; l++) {
        const cells = Array.from(labels.keys()).filter((i) => labels[i] === l);
        const mp = cellsToPolygon(cells, cols);
        expect(area(mp)).toBe(cells.length);
        // Every cell centre of the grid is inside the polygon iff it is a component cell.
        for (let i = 0; i < rows * cols; i++) {
          const p: [number, number] = [(i % cols) + 0.5, Math.floor(i / cols) + 0.5];
          const inPoly = mp.some(
            (poly) => pointInRing(p, poly[0]) && !poly.slice(1).some((h) => pointInRing(p, h)),
          );
          if (inPoly !== (labels[i] === l))
            expect({ cell: i, inPoly }).toEqual({ cell: i, inPoly: labels[i] === l });
        }
        all.push(mp);
      }
    }
    // Validity reference: GEOS through GDAL's Python bindings (OGC rules: no self-touching
    // rings, holes inside their shell, parts touching at points only).
    if (!HAS_OGR) return console.warn('python3-gdal missing: GEOS validity check skipped');
    const out = execFileSync(
      PY,
      [
        '-c',
        `import json, sys
from osgeo import ogr, gdal
gdal.PushErrorHandler('CPLQuietErrorHandler')
mps = json.load(sys.stdin)
bad = [i for i, mp in enumerate(mps) if not ogr.CreateGeometryFromJson(json.dumps({'type': 'MultiPolygon', 'coordinates': mp})).IsValid()]
print(json.dumps({'n': len(mps), 'bad': bad}))`,
      ],
      { input: JSON.stringify(all), encoding: 'utf8' },
    );
    const res = JSON.parse(out);
    expect(res.n).toBe(all.length);
    expect(res.bad).toEqual([]);
  });
});

describe('ROI mask', () => {
  it('matches a point-in-polygon test of every cell centre', () => {
    const r = rng(21);
    for (let t = 0; t < 20; t++) {
      const rows = 30;
      const cols = 37;
      const star = (cx: number, cy: number, n: number, rad: number): GridRing => {
        const ring: GridRing = Array.from({ length: n }, (_, k) => {
          const a = (2 * Math.PI * k) / n;
          const rr = rad * (0.4 + 0.6 * r());
          return [cx + rr * Math.cos(a) + 0.013, cy + rr * Math.sin(a) + 0.017] as [number, number];
        });
        ring.push(ring[0]);
        return ring;
      };
      const [cx, cy] = [18 + 10 * r(), 15 + 6 * r()];
      const outer = star(cx, cy, 5 + Math.floor(r() * 12), 16);
      const hole = star(cx, cy, 6, 4); // inside: the outer star's inradius is >= 6.4 cos(36°)
      const other = star(-2, 3, 5, 6); // partly off-grid
      const mask = roiToGridMask([[outer, hole], [other]], rows, cols);
      for (let i = 0; i < rows * cols; i++) {
        const p: [number, number] = [(i % cols) + 0.5, Math.floor(i / cols) + 0.5];
        const want = (pointInRing(p, outer) && !pointInRing(p, hole)) || pointInRing(p, other);
        if (mask[i] !== (want ? 1 : 0)) expect({ i, got: mask[i] }).toEqual({ i, got: want ? 1 : 0 });
      }
    }
  });

  it('restricts scores and counts per ROI', () => {
    const rows = 10;
    const cols = 10;
    const s = new Float32Array(100).fill(0);
    for (const i of [11, 12, 21, 22, 17, 18, 77]) s[i] = 1; // blobs at (1,1), (1,7), (7,7)
    const left = roiToGridMask(
      [
        [
          [0, 0],
          [5, 0],
          [5, 10],
          [0, 10],
          [0, 0],
        ],
      ],
      rows,
      cols,
    );
    const right = roiToGridMask(
      [
        [
          [5, 0],
          [10, 0],
          [10, 10],
          [5, 10],
          [5, 0],
        ],
      ],
      rows,
      cols,
    );
    const restricted = restrictToRoi(s, left);
    expect(Number.isNaN(restricted[17])).toBe(true);
    expect(restricted[11]).toBe(1);
    const counts = countPerRoi(
      s,
      rows,
      cols,
      [
        { id: 'L', mask: left },
        { id: 'R', mask: right },
      ],
      { threshold: 0.5, patchAreaM2: 100 },
    );
    expect(counts.map((c) => [c.roiId, c.count, c.areaPatches, c.areaM2])).toEqual([
      ['L', 1, 4, 400],
      ['R', 2, 3, 300],
    ]);
  });
});
