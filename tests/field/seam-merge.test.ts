import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createField, chunkBounds } from '../../src/core/field/field-store';
import { writeChunk } from '../../src/core/field/field-chunks';
import { scoreField } from '../../src/core/field/score-field';
import { findDetections } from '../../src/core/detect/find-detections';
import { gridToWgs84, mergeAcrossScenes } from '../../src/core/detect/merge-scenes';
import { testMeta, tmpDir } from './helpers';

const root = tmpDir('seam');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('detections across chunk seams', () => {
  it('a blob straddling a chunk corner is ONE detection', async () => {
    const rows = 20;
    const cols = 20;
    const dim = 4;
    const f = await createField(path.join(root, 'f'), testMeta(rows, cols, dim, { chunkSize: 8 }));
    // Background vectors point along e1, the blob (rows 5..10, cols 6..11 around the chunk
    // corner at (8, 8)) along e0 with a small tilt, so only the blob scores high for q = e0.
    const inBlob = (r: number, c: number) => r >= 5 && r <= 10 && c >= 6 && c <= 11 && !(r === 5 && c === 6);
    for (let cr = 0; cr < f.grid.chunkRows; cr++)
      for (let cc = 0; cc < f.grid.chunkCols; cc++) {
        const b = chunkBounds(f.grid, cr, cc);
        const w = b.c1 - b.c0;
        const h = b.r1 - b.r0;
        const d = new Float32Array(h * w * dim);
        for (let i = 0; i < h * w; i++) {
          const r = b.r0 + Math.floor(i / w);
          const c = b.c0 + (i % w);
          if (inBlob(r, c)) d.set([1, 0, 0.1 * (r % 3), 0.05 * c], i * dim);
          else d.set([0, 1, 0, 0], i * dim);
        }
        await writeChunk(f, cr, cc, d, new Uint8Array(h * w).fill(1));
      }
    const scores = await scoreField(f, new Float32Array([1, 0, 0, 0]));
    const dets = findDetections(scores, rows, cols, { threshold: 0.5, patchAreaM2: f.meta.patchSizeM ** 2 });
    expect(dets).toHaveLength(1);
    expect(dets[0].areaPatches).toBe(35);
    expect(dets[0].bbox).toEqual({ r0: 5, c0: 6, r1: 11, c1: 12 });
    expect(dets[0].areaM2).toBeCloseTo(35 * 9.6 * 9.6, 6);
  });
});

describe('mergeAcrossScenes', () => {
  it('keeps the higher peak of overlapping scenes and both of disjoint ones', () => {
    const metaA = testMeta(10, 10, 4);
    // Scene B's grid starts 2.5 patches east and 1 patch south of A's.
    const metaB = testMeta(10, 10, 4, { geoTransform: [500000 + 2.5 * 9.6, 9.6, 0, 4200000 - 9.6, 0, -9.6] });
    const sA = new Float32Array(100).fill(0);
    const sB = new Float32Array(100).fill(0);
    for (const i of [33, 34, 43, 44]) sA[i] = 0.8; // A (3..4, 3..4)
    sA[88] = 0.9; // A only: (8, 8) is B's (7, 5.5): B has nothing there
    for (const i of [21, 22, 31, 32]) sB[i] = 0.85; // B (2..3, 1..2) = A (3..4, 3.5..4.5): overlaps
    sB[9] = 0.7; // B (0, 9) = A (1, 11.5): outside A's grid
    const det = (s: Float32Array) => findDetections(s, 10, 10, { threshold: 0.5, patchAreaM2: 92.16 });
    const merged = mergeAcrossScenes([
      { sceneId: 'A', cols: 10, detections: det(sA), toWgs84: gridToWgs84(metaA) },
      { sceneId: 'B', cols: 10, detections: det(sB), toWgs84: gridToWgs84(metaB) },
    ]);
    expect(
      merged.map((m) => [m.sceneId, m.detection.peak.toFixed(2), m.duplicates.map((d) => d.sceneId)]),
    ).toEqual([
      ['A', '0.90', []],
      ['B', '0.85', ['A']],
      ['B', '0.70', []],
    ]);
    const [lon, lat] = merged[0].polygon[0][0][0];
    expect(lon).toBeCloseTo(-123 + 0.0009, 2); // UTM 10N, x = 500077 m: just east of the central meridian
    expect(lat).toBeGreaterThan(37.9);
    // Touching is not overlapping: a blob in B exactly edge-adjacent to one in A stays separate.
    const sC = new Float32Array(100).fill(0);
    sC[0] = 0.95; // C = A shifted 5 patches east: C (0,0) touches A (0,4) along an edge
    const sA2 = new Float32Array(100).fill(0);
    sA2[4] = 0.6;
    const metaC = testMeta(10, 10, 4, { geoTransform: [500000 + 5 * 9.6, 9.6, 0, 4200000, 0, -9.6] });
    const m2 = mergeAcrossScenes([
      { sceneId: 'A', cols: 10, detections: det(sA2), toWgs84: gridToWgs84(metaA) },
      { sceneId: 'C', cols: 10, detections: det(sC), toWgs84: gridToWgs84(metaC) },
    ]);
    expect(m2).toHaveLength(2);
  });
});
