import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { F16_TO_F32, float16ToFloat32, float32ToFloat16, toFloat16Bits } from '../../src/core/field/float16';
import { HAS_NUMPY, rng, runPython, tmpDir } from './helpers';

/** float32 inputs that hit every rounding path: ties, subnormals, overflow, specials. */
function hardInputs(): Float32Array {
  const r = rng(7);
  const bits = new Uint32Array(200_000);
  let i = 0;
  // Exact ties and near-ties in the normal range (13 dropped bits = 0x1000 / 0x0fff / 0x1001).
  for (let k = 0; k < 20_000; k++) {
    const exp = 103 + Math.floor(r() * 40); // 2^-24 .. 2^16
    const mant = (Math.floor(r() * 1024) << 13) | [0x1000, 0x0fff, 0x1001, 0][k & 3];
    bits[i++] = ((r() < 0.5 ? 0x80000000 : 0) | (exp << 23) | mant) >>> 0;
  }
  // Random bit patterns across the whole float32 range, and around the float16 range.
  while (i < bits.length) {
    bits[i++] =
      i & 1
        ? Math.floor(r() * 2 ** 32) >>> 0
        : (((Math.floor(r() * 50) + 98) << 23) | Math.floor(r() * 2 ** 23)) >>> 0;
  }
  const f = new Float32Array(bits.buffer);
  f.set(
    [
      0,
      -0,
      65504,
      65519.99,
      65520,
      65536,
      -65520,
      Infinity,
      -Infinity,
      2 ** -24,
      2 ** -25,
      2 ** -25 * 1.0001,
      2 ** -14,
      2 ** -14 - 2 ** -25,
    ],
    0,
  );
  return f;
}

describe('float16 conversion', () => {
  it('decodes known values exactly', () => {
    expect(F16_TO_F32[0x3c00]).toBe(1);
    expect(F16_TO_F32[0xc000]).toBe(-2);
    expect(F16_TO_F32[0x7bff]).toBe(65504);
    expect(F16_TO_F32[0x0001]).toBe(2 ** -24);
    expect(F16_TO_F32[0x0400]).toBe(2 ** -14);
    expect(F16_TO_F32[0x7c00]).toBe(Infinity);
    expect(Number.isNaN(F16_TO_F32[0x7e00])).toBe(true);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // tie between 65504 and Inf goes to even (Inf)
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, even mantissa stays
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd mantissa rounds up
    expect(toFloat16Bits(2 ** -25)).toBe(0); // subnormal tie to even (0)
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(2); // subnormal tie to even (2)
  });

  it('round-trips every float16 bit pattern', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const back = float32ToFloat16(float16ToFloat32(all));
    for (let h = 0; h < 65536; h++) {
      const isNaN16 = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNaN16) expect((back[h] & 0x7c00) === 0x7c00 && (back[h] & 0x3ff) !== 0).toBe(true);
      else if (back[h] !== h) expect(back[h]).toBe(h);
    }
  });

  // Reference: numpy's float32 -> float16 cast (round to nearest even) and float16 -> float32.
  it.skipIf(!HAS_NUMPY)('matches numpy bit for bit in both directions', () => {
    const dir = tmpDir('f16');
    try {
      const x = hardInputs();
      fs.writeFileSync(path.join(dir, 'x.f32'), new Uint8Array(x.buffer));
      runPython(
        `import numpy as np, sys
d = sys.argv[1]
x = np.fromfile(d + '/x.f32', dtype='<f4')
with np.errstate(over='ignore'):
    x.astype('<f2').view('<u2').tofile(d + '/h.u16')
np.arange(65536, dtype='<u2').view('<f2').astype('<f4').view('<u4').tofile(d + '/all.u32')`,
        [dir],
      );
      const ref = new Uint16Array(fs.readFileSync(path.join(dir, 'h.u16')).buffer.slice(0));
      const ours = float32ToFloat16(x);
      const xb = new Uint32Array(x.buffer);
      let mismatches = 0;
      for (let i = 0; i < x.length; i++) {
        const nan = (xb[i] & 0x7fffffff) > 0x7f800000;
        if (nan ? (ours[i] & 0x7fff) <= 0x7c00 : ours[i] !== ref[i]) {
          if (mismatches++ < 5)
            console.error(
              `x bits ${xb[i].toString(16)}: ours ${ours[i].toString(16)} numpy ${ref[i].toString(16)}`,
            );
        }
      }
      expect(mismatches).toBe(0);
      const refAll = new Uint32Array(fs.readFileSync(path.join(dir, 'all.u32')).buffer.slice(0));
      const tbl = new Uint32Array(F16_TO_F32.buffer);
      for (let h = 0; h < 65536; h++) if (tbl[h] !== refAll[h]) expect([h, tbl[h]]).toEqual([h, refAll[h]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
