import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FieldMetaInput } from '../../src/core/field/field-types';

/** Debian's python3 with numpy (python3-torch pulls it in); the pyenv `python3` has no numpy. */
export const PY = '/usr/bin/python3';
export const HAS_NUMPY = (() => {
  try {
    execFileSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function runPython(code: string, args: string[] = []): string {
  return execFileSync(PY, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `graft-field-${tag}-`));
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal via Box–Muller. */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** n random unit vectors of `dim` (float32[n, dim]). */
export function unitVectors(n: number, dim: number, r: () => number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const v = gauss(r);
      out[i * dim + d] = v;
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let d = 0; d < dim; d++) out[i * dim + d] = out[i * dim + d] * inv;
  }
  return out;
}

export function testMeta(
  rows: number,
  cols: number,
  dim: number,
  extra: Partial<FieldMetaInput> = {},
): FieldMetaInput {
  return {
    sceneId: 'test-scene',
    pack: { id: 'starter', version: '0.1.0', sha256: 'ab'.repeat(32) },
    crs: { epsg: 32610, proj4: '+proj=utm +zone=10 +datum=WGS84 +units=m +no_defs' },
    geoTransform: [500000, 9.6, 0, 4200000, 0, -9.6],
    patchSizePx: 16,
    patchSizeM: 9.6,
    sourceGsdM: 0.6,
    packGsdM: 0.6,
    rows,
    cols,
    dim,
    chunkSize: 8,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...extra,
  };
}
