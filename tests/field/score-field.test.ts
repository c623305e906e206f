import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createField, chunkBounds } from '../../src/core/field/field-store';
import { readChunk, writeChunk } from '../../src/core/field/field-chunks';
import { scoreCacheKey, scoreField } from '../../src/core/field/score-field';
import type { Field } from '../../src/core/field/field-types';
import { rng, testMeta, tmpDir, unitVectors } from './helpers';

const ROWS = 21;
const COLS = 19;
const DIM = 36; // not a multiple of 8: exercises the kernel's remainder loop
let root: string;
const fields: Record<string, Field> = {};
let data: Float32Array;
let valid: Uint8Array;
let q: Float32Array;

beforeAll(async () => {
  root = tmpDir('score');
  const r = rng(11);
  data = unitVectors(ROWS * COLS, DIM, r);
  valid = new Uint8Array(ROWS * COLS).map(() => (r() < 0.85 ? 1 : 0));
  q = unitVectors(1, DIM, r);
  for (const dtype of ['float16', 'int8'] as const) {
    const f = await createField(path.join(root, dtype), testMeta(ROWS, COLS, DIM, { dtype, chunkSize: 8 }));
    for (let cr = 0; cr < f.grid.chunkRows; cr++)
      for (let cc = 0; cc < f.grid.chunkCols; cc++) {
        if (cr === 1 && cc === 2) continue; // a chunk never written: NaN
        const b = chunkBounds(f.grid, cr, cc);
        const h = b.r1 - b.r0;
        const w = b.c1 - b.c0;
        const d = new Float32Array(h * w * DIM);
        const v = new Uint8Array(h * w);
        for (let i = 0; i < h; i++) {
          d.set(
            data.subarray(((b.r0 + i) * COLS + b.c0) * DIM, ((b.r0 + i) * COLS + b.c1) * DIM),
            i * w * DIM,
          );
          v.set(valid.subarray((b.r0 + i) * COLS + b.c0, (b.r0 + i) * COLS + b.c1), i * w);
        }
        await writeChunk(f, cr, cc, d, v);
      }
    fields[dtype] = f;
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Naive float64 reference over the decoded stored vectors (readChunk), cell by cell. */
async function reference(f: Field): Promise<Float64Array> {
  const out = new Float64Array(ROWS * COLS).fill(NaN);
  for (let cr = 0; cr < f.grid.chunkRows; cr++)
    for (let cc = 0; cc < f.grid.chunkCols; cc++) {
      const ch = await readChunk(f, cr, cc);
      if (!ch) continue;
      const b = chunkBounds(f.grid, cr, cc);
      for (let i = 0; i < ch.h * ch.w; i++) {
        if (!ch.valid[i]) continue;
        let s = 0;
        for (let d = 0; d < DIM; d++) s += ch.data[i * DIM + d] * q[d];
        out[(b.r0 + Math.floor(i / ch.w)) * COLS + b.c0 + (i % ch.w)] = s;
      }
    }
  return out;
}

function inChunk12(cell: number): boolean {
  const r = Math.floor(cell / COLS);
  const c = cell % COLS;
  return r >= 8 && r < 16 && c >= 16;
}

describe('scoreField', () => {
  for (const dtype of ['float16', 'int8'] as const) {
    // Against the decoded vectors in float64 the only error is the final float32 rounding
    // (|score| <= 1, so <= 2^-24); 1e-6 leaves room for the int8 per-patch scale product.
    // Against the original float32 vectors, float16 storage adds at most 2^-11 * Σ|q_d v_d|
    // <= 2^-11 (Cauchy–Schwarz with unit vectors); int8 adds at most Σ|q_d| * scale/2.
    it(`${dtype}: equals a float64 reference and the pre-storage cosine`, async () => {
      const f = fields[dtype];
      const got = await scoreField(f, q);
      const ref = await reference(f);
      for (let i = 0; i < got.length; i++) {
        const expectNaN = !valid[i] || inChunk12(i);
        expect(Number.isNaN(got[i]), `cell ${i}`).toBe(expectNaN);
        expect(Number.isNaN(ref[i])).toBe(expectNaN);
        if (expectNaN) continue;
        expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(1e-6);
        let cos = 0;
        let l1 = 0;
        let maxAbs = 0;
        for (let d = 0; d < DIM; d++) {
          cos += data[i * DIM + d] * q[d];
          l1 += Math.abs(q[d]);
          maxAbs = Math.max(maxAbs, Math.abs(data[i * DIM + d]));
        }
        const bound = dtype === 'float16' ? 2 ** -11 + 1e-6 : l1 * (maxAbs / 127 / 2) + 1e-6;
        expect(Math.abs(got[i] - cos)).toBeLessThanOrEqual(bound);
      }
    });
  }

  it('restricts to a window and an ROI mask', async () => {
    const f = fields.float16;
    const full = await scoreField(f, q);
    const win = { r0: 5, c0: 3, r1: 13, c1: 17 }; // straddles four chunks
    const roi = new Uint8Array(ROWS * COLS).map((_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const got = await scoreField(f, q, { window: win, roiMask: roi });
    for (let i = 0; i < got.length; i++) {
      const r = Math.floor(i / COLS);
      const c = i % COLS;
      const inside = r >= win.r0 && r < win.r1 && c >= win.c0 && c < win.c1 && roi[i] === 1;
      if (inside) expect(Object.is(got[i], full[i]) || got[i] === full[i]).toBe(true);
      else expect(got[i]).toBeNaN();
    }
  });

  it('odd dim (one-at-a-time kernel path) equals the float64 reference', async () => {
    const dim = 5;
    const r = rng(12);
    const f = await createField(path.join(root, 'odd'), testMeta(3, 3, dim, { chunkSize: 4 }));
    const v = unitVectors(9, dim, r);
    await writeChunk(f, 0, 0, v, new Uint8Array(9).fill(1));
    const q5 = unitVectors(1, dim, r);
    const got = await scoreField(f, q5);
    const dec = (await readChunk(f, 0, 0))!;
    for (let i = 0; i < 9; i++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += dec.data[i * dim + d] * q5[d];
      expect(Math.abs(got[i] - s)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('rejects a non-unit or wrong-size query, honours abort, keys caches', async () => {
    const f = fields.float16;
    await expect(scoreField(f, new Float32Array(DIM).fill(1))).rejects.toThrow(/not unit length/);
    await expect(scoreField(f, new Float32Array(3))).rejects.toThrow(/3 dims/);
    const ac = new AbortController();
    ac.abort();
    await expect(scoreField(f, q, {}, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(scoreCacheKey(f, q)).toBe(scoreCacheKey(f, q.slice()));
    expect(scoreCacheKey(f, q)).not.toBe(scoreCacheKey(f, q, { window: { r0: 0, c0: 0, r1: 1, c1: 1 } }));
  });
});
