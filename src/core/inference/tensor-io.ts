import * as ort from 'onnxruntime-node';
import { AppError } from '../../shared/errors';
import { float16ToFloat32, float32ToFloat16 } from '../field/float16';

/** A float32 buffer as an ORT tensor of the graph's declared type (fp16 packs take float16 bits). */
export function floatTensor(data: Float32Array, type: string, dims: number[]): ort.Tensor {
  if (type === 'float32') return new ort.Tensor('float32', data, dims);
  if (type === 'float16') return new ort.Tensor('float16', float32ToFloat16(data), dims);
  throw new AppError('UNSUPPORTED', `input type ${type} where a float tensor is expected`);
}

/** An ORT output as float32 (float16 outputs are widened exactly). */
export function tensorToF32(t: ort.Tensor, what: string): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array;
  if (t.type === 'float16') {
    const d = t.data as unknown;
    if (d instanceof Uint16Array) return float16ToFloat32(d);
    return Float32Array.from(d as ArrayLike<number>); // a runtime with Float16Array
  }
  throw new AppError('UNSUPPORTED', `${what}: output type ${t.type}, expected float32 or float16`);
}

/**
 * Patch outputs as tokens: [N,T,D] passes through, [N,D,h,w] is transposed to [N,h*w,D]
 * (row-major patch order, the same as a ViT's token order).
 */
export function toTokens(
  data: Float32Array,
  dims: readonly number[],
  what: string,
): { data: Float32Array; n: number; tokens: number; dim: number; grid?: [number, number] } {
  if (dims.length === 3) return { data, n: dims[0], tokens: dims[1], dim: dims[2] };
  if (dims.length !== 4)
    throw new AppError(
      'PACK_INVALID',
      `${what}: output has shape [${dims.join(',')}], expected [N,T,D] or [N,D,h,w]`,
    );
  const [n, d, h, w] = dims;
  const t = h * w;
  const out = new Float32Array(n * t * d);
  for (let b = 0; b < n; b++)
    for (let c = 0; c < d; c++) {
      const src = (b * d + c) * t;
      for (let i = 0; i < t; i++) out[(b * t + i) * d + c] = data[src + i];
    }
  return { data: out, n, tokens: t, dim: d, grid: [h, w] };
}
