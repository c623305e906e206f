import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { Pack } from '../packs/manifest';
import type { ProviderName } from './execution-provider';
import type { ModelRuntime } from './model-runtime';
import { chipsToPixelValues, type Chip } from './preprocess';
import { floatTensor, tensorToF32, toTokens } from './tensor-io';

export interface PatchEncoding {
  /** float32[N, T, D] row-major: chip, patch (row-major over the grid), dim. */
  embeds: Float32Array;
  n: number;
  tokens: number;
  dim: number;
  /** Patch grid per chip: rows × cols (14 × 14 for 224 px and 16 px patches). */
  grid: { rows: number; cols: number };
  provider: ProviderName;
}

export interface ImageEncoding {
  /** float32[N, D] row-major. */
  embeds: Float32Array;
  n: number;
  dim: number;
  provider: ProviderName;
}

/** Runs an image role on chips in batches of runtime.batchSize; returns the outputs concatenated. */
async function runImageRole(
  rt: ModelRuntime,
  pack: Pack,
  role: 'patch_encoder' | 'image_encoder',
  chips: readonly Chip[],
  signal?: AbortSignal,
) {
  const s = await rt.session(pack, role, signal);
  const m = pack.manifest;
  const [inName, inSpec] = Object.entries(s.spec.inputs)[0];
  const outName = Object.keys(s.spec.outputs)[0];
  const S = m.input.size;
  const parts: { data: Float32Array; dims: readonly number[] }[] = [];
  for (let i = 0; i < chips.length; i += rt.batchSize) {
    throwIfAborted(signal);
    const batch = chips.slice(i, i + rt.batchSize);
    const x = chipsToPixelValues(m, batch); // pixel_values: float32[B,C,S,S]
    const out = await s.session.run({
      [inName]: floatTensor(x, inSpec.type, [batch.length, m.bands.length, S, S]),
    });
    const t = out[outName];
    if (!t) throw new AppError('PACK_INVALID', `${s.spec.file}: no output named ${outName}`);
    parts.push({ data: tensorToF32(t, `${s.spec.file}:${outName}`), dims: t.dims });
  }
  return { parts, provider: s.provider, file: s.spec.file };
}

/**
 * Patch embeddings of chips through the pack's patch encoder. Output tokens [N,T,D]; graphs that
 * emit [N,D,h,w] are transposed to tokens. Chips of another size are resized to input.size.
 */
export async function encodePatches(
  rt: ModelRuntime,
  pack: Pack,
  chips: readonly Chip[],
  signal?: AbortSignal,
): Promise<PatchEncoding> {
  const m = pack.manifest;
  const g = m.input.size / m.patch_size;
  if (chips.length === 0)
    return {
      embeds: new Float32Array(0),
      n: 0,
      tokens: g * g,
      dim: m.embed_dim,
      grid: { rows: g, cols: g },
      provider: 'cpu',
    };
  const { parts, provider, file } = await runImageRole(rt, pack, 'patch_encoder', chips, signal);
  const toks = parts.map((p) => toTokens(p.data, p.dims, file));
  const { tokens, dim } = toks[0];
  const grid = toks[0].grid ?? [Math.round(Math.sqrt(tokens)), Math.round(Math.sqrt(tokens))];
  if (grid[0] * grid[1] !== tokens)
    throw new AppError('PACK_INVALID', `${file}: ${tokens} tokens do not form a square patch grid`);
  const embeds = new Float32Array(chips.length * tokens * dim);
  let o = 0;
  for (const t of toks) {
    embeds.set(t.data, o);
    o += t.data.length;
  }
  return { embeds, n: chips.length, tokens, dim, grid: { rows: grid[0], cols: grid[1] }, provider };
}

/** Image-level embeddings [N,D] through the pack's image encoder. */
export async function encodeImages(
  rt: ModelRuntime,
  pack: Pack,
  chips: readonly Chip[],
  signal?: AbortSignal,
): Promise<ImageEncoding> {
  const dim = pack.manifest.embed_dim;
  if (chips.length === 0) return { embeds: new Float32Array(0), n: 0, dim, provider: 'cpu' };
  const { parts, provider, file } = await runImageRole(rt, pack, 'image_encoder', chips, signal);
  const d = parts[0].dims[parts[0].dims.length - 1];
  if (d !== dim) throw new AppError('PACK_INVALID', `${file}: output dim ${d}, manifest embed_dim ${dim}`);
  const embeds = new Float32Array(chips.length * d);
  let o = 0;
  for (const p of parts) {
    embeds.set(p.data, o);
    o += p.data.length;
  }
  return { embeds, n: chips.length, dim: d, provider };
}
