/**
 * IEEE 754 binary16 ("float16") <-> binary32 conversion, bit-exact.
 *
 * Node 20 has no Float16Array, so float16 data lives in Uint16Array (the raw bits).
 * float32 -> float16 rounds to nearest, ties to even (the IEEE default, and what numpy's
 * `astype(np.float16)` and the F16C instructions do); overflow goes to ±Inf, NaN stays NaN
 * (quiet, sign kept). float16 -> float32 is exact (every float16 is a float32) and is done
 * with a 65536-entry table, which is also what the scoring kernel reads.
 */

/** float16 bits -> float32 value, for all 65536 bit patterns (256 KiB, stays in L2). */
export const F16_TO_F32: Float32Array = buildTable();

function buildTable(): Float32Array {
  const bits = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    let u: number;
    if (exp === 0x1f) {
      u = 0x7f800000 | (mant << 13); // Inf or NaN (payload kept)
    } else if (exp !== 0) {
      u = ((exp + 112) << 23) | (mant << 13); // normal: rebias 15 -> 127
    } else if (mant === 0) {
      u = 0; // ±0
    } else {
      // subnormal half = mant * 2^-24: normalise into a float32 normal
      let e = 113;
      let m = mant;
      while ((m & 0x400) === 0) {
        m <<= 1;
        e--;
      }
      u = (e << 23) | ((m & 0x3ff) << 13);
    }
    bits[h] = (sign | u) >>> 0;
  }
  // Reinterpret the bits: writing NaNs through a Uint32Array keeps their payloads.
  return new Float32Array(bits.buffer);
}

const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);
// 0.5f: adding it to a value below 2^-14 puts the float16 subnormal bits in the low mantissa.
const DENORM_MAGIC_U = ((127 - 15 + (23 - 10) + 1) << 23) >>> 0;
const DENORM_MAGIC_F = 0.5;

/** One float32 (given by its bits) -> float16 bits, round to nearest even. */
export function f32BitsToF16(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const u = bits & 0x7fffffff;
  if (u >= 0x47800000) {
    // |x| >= 65536 (after rounding anything >= 65520 overflows too, handled below) or Inf/NaN
    if (u > 0x7f800000) return sign | 0x7e00 | ((u >>> 13) & 0x3ff); // NaN: quiet bit set, top payload kept
    return sign | 0x7c00;
  }
  if (u < 0x38800000) {
    // |x| < 2^-14: float16 subnormal or zero. The float32 addition rounds (to nearest even)
    // at exactly the float16 subnormal spacing 2^-24. Math.fround(a + b) is the exact float32
    // sum: double then float rounding is innocuous for addition (53 >= 2*24 + 2).
    scratchU[0] = u;
    scratchF[0] = Math.fround(scratchF[0] + DENORM_MAGIC_F);
    return sign | (scratchU[0] - DENORM_MAGIC_U);
  }
  // Normal: rebias the exponent and round the 13 dropped mantissa bits to nearest even.
  // A carry out of the mantissa bumps the exponent, and 65520 and up carries into Inf (0x7c00).
  const mantOdd = (u >>> 13) & 1;
  return sign | ((u + (((15 - 127) << 23) >>> 0) + 0xfff + mantOdd) >>> 13);
}

/** One float32 value -> float16 bits (round to nearest even). */
export function toFloat16Bits(x: number): number {
  scratchF[0] = x;
  return f32BitsToF16(scratchU[0]);
}

/** One float16 bit pattern -> its exact value. */
export function fromFloat16Bits(h: number): number {
  return F16_TO_F32[h & 0xffff];
}

/**
 * Float32Array -> float16 bits, round to nearest even.
 * @param src float32[n]
 * @param out uint16[n], allocated when omitted
 */
export function float32ToFloat16(src: Float32Array, out?: Uint16Array): Uint16Array {
  const n = src.length;
  const dst = out ?? new Uint16Array(n);
  const bits = new Uint32Array(src.buffer, src.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const u = b & 0x7fffffff;
    // The common case (normal float16 range) inline; the rest in the scalar routine.
    if (u >= 0x38800000 && u < 0x47800000) {
      dst[i] = ((b >>> 16) & 0x8000) | ((u - 0x38000000 + 0xfff + ((u >>> 13) & 1)) >>> 13);
    } else {
      dst[i] = f32BitsToF16(b);
    }
  }
  return dst;
}

/**
 * float16 bits -> Float32Array, exact.
 * @param src uint16[n]
 * @param out float32[n], allocated when omitted
 */
export function float16ToFloat32(src: Uint16Array, out?: Float32Array): Float32Array {
  const n = src.length;
  const dst = out ?? new Float32Array(n);
  // Copy bits, not numbers, so NaN payloads survive.
  const tbl = new Uint32Array(F16_TO_F32.buffer);
  const d = new Uint32Array(dst.buffer, dst.byteOffset, n);
  for (let i = 0; i < n; i++) d[i] = tbl[src[i]];
  return dst;
}
