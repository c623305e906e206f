import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire, hasBinary } from './wire';

describe('wire framing', () => {
  it('round-trips nested typed arrays of every alignment exactly', () => {
    const value = {
      name: 'scores',
      a: new Uint8Array([1, 2, 3]),
      nested: {
        f: new Float32Array([0.5, -1e-7, Number.NaN, Infinity]),
        list: [new Int16Array([-3, 7]), 'x'],
      },
      big: new BigInt64Array([1n, -2n]),
      d: new Float64Array([Math.PI]),
      n: null,
    };
    const back = decodeWire(encodeWire(value)) as typeof value;
    expect(back.name).toBe('scores');
    expect([...back.a]).toEqual([1, 2, 3]);
    expect(back.nested.f).toBeInstanceOf(Float32Array);
    expect([...back.nested.f]).toEqual([...value.nested.f]);
    expect([...(back.nested.list[0] as Int16Array)]).toEqual([-3, 7]);
    expect([...back.big]).toEqual([1n, -2n]);
    expect(back.d[0]).toBe(Math.PI);
    expect(back.n).toBeNull();
  });

  it('respects views into larger buffers', () => {
    const whole = new Float32Array([9, 8, 7, 6]);
    const back = decodeWire(encodeWire({ v: whole.subarray(1, 3) })) as { v: Float32Array };
    expect([...back.v]).toEqual([8, 7]);
  });

  it('rejects frames that are not ours', () => {
    expect(() => decodeWire(new TextEncoder().encode('{"ok":true}'))).toThrow(/not a GRW1 frame/);
  });

  it('detects binary anywhere in a value', () => {
    expect(hasBinary({ a: [1, { b: new Uint8Array(1) }] })).toBe(true);
    expect(hasBinary({ a: [1, { b: 'x' }] })).toBe(false);
  });
});
