import { F16_TO_F32 } from './float16';

/**
 * Matrix–vector kernels over one stored chunk: score[p] = Σ_d emb[p, d] * q[d] for the patches
 * of rows [r0, r1) and cols [c0, c1) of the chunk (chunk-local cells), written into `out` at
 * the patch's grid index. Patches whose `valid` byte (or roi byte) is 0 are left untouched
 * (the caller pre-fills NaN). Sums run in float64 (JS numbers), independent accumulators so
 * the loads pipeline; float16 is decoded by a 65536-entry float32 table (256 KiB, L2-resident).
 */
export interface KernelArgs {
  /** float16 bits uint16[cs*cs*dim] or int8[cs*cs*dim], row-major [cs, cs, dim] */
  emb: Uint16Array | Int8Array;
  /** uint8[cs*cs] */
  valid: Uint8Array;
  /** float32[cs*cs] per-patch scale for int8, else null */
  scale: Float32Array | null;
  cs: number;
  dim: number;
  /** float32[dim] query */
  q: Float32Array;
  /** chunk-local window, half-open */
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  /** grid cell of the chunk's top-left patch, grid width */
  gr0: number;
  gc0: number;
  cols: number;
  /** uint8[rows*cols] or null: 0 = outside the region of interest */
  roi: Uint8Array | null;
  /** float32[rows*cols] */
  out: Float32Array;
}

/** Dot product of one float16 vector (odd dim or unaligned data: one uint16 per load). */
function dotF16(emb: Uint16Array, base: number, q: Float64Array, dim: number, lut: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let d = 0;
  for (; d + 1 < dim; d += 2) {
    s0 += lut[emb[base + d]] * q[d];
    s1 += lut[emb[base + d + 1]] * q[d + 1];
  }
  for (; d < dim; d++) s0 += lut[emb[base + d]] * q[d];
  return s0 + s1;
}

/**
 * Dot products of two float16 vectors at once (even dim): one 32-bit load yields two halves,
 * and each q load serves both patches. ~1.6x the one-at-a-time loop in V8.
 * `w` is the uint32 view of the chunk, `b0`/`b1` the vectors' offsets in uint32 words.
 */
function dot2F16(
  w: Uint32Array,
  b0: number,
  b1: number,
  half: number,
  q: Float64Array,
  lut: Float32Array,
  res: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let t0 = 0;
  let t1 = 0;
  for (let k = 0; k < half; k++) {
    const qa = q[2 * k];
    const qb = q[2 * k + 1];
    const w0 = w[b0 + k];
    const w1 = w[b1 + k];
    s0 += lut[w0 & 0xffff] * qa;
    s1 += lut[w0 >>> 16] * qb;
    t0 += lut[w1 & 0xffff] * qa;
    t1 += lut[w1 >>> 16] * qb;
  }
  res[0] = s0 + s1;
  res[1] = t0 + t1;
}

/** Dot product of one int8 vector at `base` with q (the scale is applied by the caller). */
function dotI8(emb: Int8Array, base: number, q: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  const end4 = dim & ~3;
  for (; d < end4; d += 4) {
    s0 += emb[base + d] * q[d];
    s1 += emb[base + d + 1] * q[d + 1];
    s2 += emb[base + d + 2] * q[d + 2];
    s3 += emb[base + d + 3] * q[d + 3];
  }
  for (; d < dim; d++) s0 += emb[base + d] * q[d];
  return s0 + s1 + (s2 + s3);
}

/** Scores the window of one chunk into `a.out`; returns the number of patches scored. */
export function scoreChunk(a: KernelArgs): number {
  const { emb, valid, scale, cs, dim, q, roi, out, cols } = a;
  let n = 0;
  if (emb instanceof Uint16Array) {
    const lut = F16_TO_F32;
    const q64 = Float64Array.from(q);
    const res = new Float64Array(2);
    // Little-endian host (checked when the field is opened): low half = the even element.
    const half = dim >> 1;
    const w =
      dim % 2 === 0 && emb.byteOffset % 4 === 0
        ? new Uint32Array(emb.buffer, emb.byteOffset, emb.length >> 1)
        : null;
    for (let r = a.r0; r < a.r1; r++) {
      const g = (a.gr0 + r) * cols + a.gc0;
      let c = a.c0;
      while (c < a.c1) {
        const p = r * cs + c;
        if (valid[p] === 0 || (roi !== null && roi[g + c] === 0)) {
          c++;
          continue;
        }
        if (w !== null && c + 1 < a.c1 && valid[p + 1] !== 0 && (roi === null || roi[g + c + 1] !== 0)) {
          dot2F16(w, p * half, (p + 1) * half, half, q64, lut, res);
          out[g + c] = res[0];
          out[g + c + 1] = res[1];
          c += 2;
          n += 2;
        } else {
          out[g + c] = dotF16(emb, p * dim, q64, dim, lut);
          c++;
          n++;
        }
      }
    }
  } else {
    const sc = scale as Float32Array;
    for (let r = a.r0; r < a.r1; r++) {
      const g = (a.gr0 + r) * cols + a.gc0;
      for (let c = a.c0; c < a.c1; c++) {
        const p = r * cs + c;
        if (valid[p] === 0 || (roi !== null && roi[g + c] === 0)) continue;
        out[g + c] = dotI8(emb, p * dim, q, dim) * sc[p];
        n++;
      }
    }
  }
  return n;
}
