import * as ort from 'onnxruntime-node';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { Pack } from '../packs/manifest';
import type { ProviderName } from './execution-provider';
import type { ModelRuntime } from './model-runtime';
import type { Chip } from './preprocess';
import { samPreprocess } from './sam-preprocess';
import { floatTensor, tensorToF32 } from './tensor-io';

export interface SamEncoding {
  /** image_embeddings float32[1,256,64,64] (dims as the graph returns them). */
  embeddings: Float32Array;
  dims: number[];
  origSize: [number, number];
  resized: [number, number];
  inputSize: number;
  provider: ProviderName;
}

export interface SamMasks {
  /** masks: float32[M,H,W] logits at the original size (> 0 is inside). */
  masks: Float32Array;
  /** iou_predictions float32[M]. */
  iou: Float32Array;
  /** low_res_masks float32[M,256,256] logits, to feed back as mask_input. */
  lowRes: Float32Array;
  count: number;
  height: number;
  width: number;
  provider: ProviderName;
}

/** SAM image encoder on one chip (R,G,B in physical units). Cache the result per window. */
export async function samEncode(
  rt: ModelRuntime,
  pack: Pack,
  chip: Chip,
  signal?: AbortSignal,
): Promise<SamEncoding> {
  const s = await rt.session(pack, 'sam_image_encoder', signal);
  const pre = samPreprocess(pack.manifest, chip);
  throwIfAborted(signal);
  const [inName, inSpec] = Object.entries(s.spec.inputs)[0];
  const outName = Object.keys(s.spec.outputs)[0];
  const out = await s.session.run({
    [inName]: floatTensor(pre.image, inSpec.type, [1, 3, pre.size, pre.size]),
  });
  const t = out[outName];
  if (!t) throw new AppError('PACK_INVALID', `${s.spec.file}: no output named ${outName}`);
  return {
    embeddings: tensorToF32(t, s.spec.file),
    dims: [...t.dims],
    origSize: pre.origSize,
    resized: pre.resized,
    inputSize: pre.size,
    provider: s.provider,
  };
}

/**
 * The six inputs of the standard SAM ONNX decoder signature for one prompt. points: [x, y] in
 * original chip pixels, scaled here into the resized (longest side = input size) frame; without a
 * box (labels 2/3) a (0,0,-1) padding point is appended, as in SAM's ONNX example.
 */
export function samDecoderFeeds(
  inputs: Record<string, { type: string }>,
  enc: SamEncoding,
  points: readonly [number, number][],
  labels: readonly number[],
  maskInput?: Float32Array,
): Record<string, ort.Tensor> {
  const type = (name: string) => inputs[name]?.type ?? 'float32';
  const [h, w] = enc.origSize;
  const pad = !labels.some((l) => l === 2 || l === 3);
  const P = points.length + (pad ? 1 : 0);
  // point_coords: float32[1,P,2], point_labels: float32[1,P]
  const coords = new Float32Array(P * 2);
  const labs = new Float32Array(P);
  points.forEach(([x, y], i) => {
    coords[2 * i] = x * (enc.resized[1] / w);
    coords[2 * i + 1] = y * (enc.resized[0] / h);
    labs[i] = labels[i];
  });
  if (pad) labs[P - 1] = -1;
  return {
    image_embeddings: floatTensor(enc.embeddings, type('image_embeddings'), enc.dims),
    point_coords: floatTensor(coords, type('point_coords'), [1, P, 2]),
    point_labels: floatTensor(labs, type('point_labels'), [1, P]),
    // mask_input: float32[1,1,256,256], zeros when there is no previous mask
    mask_input: floatTensor(maskInput ?? new Float32Array(256 * 256), type('mask_input'), [1, 1, 256, 256]),
    has_mask_input: floatTensor(new Float32Array([maskInput ? 1 : 0]), type('has_mask_input'), [1]),
    orig_im_size: floatTensor(new Float32Array([h, w]), type('orig_im_size'), [2]),
  };
}

/**
 * SAM prompt decoder. points: [x, y] in original chip pixels; labels: 1 positive, 0 negative,
 * 2/3 box top-left/bottom-right. Without a box a (0,0,-1) padding point is appended, as in SAM's
 * ONNX example. `maskInput` is a previous lowRes mask [256*256] to refine. Coordinates are scaled
 * into the resized frame here.
 */
export async function samDecode(
  rt: ModelRuntime,
  pack: Pack,
  enc: SamEncoding,
  points: readonly [number, number][],
  labels: readonly number[],
  opts: { maskInput?: Float32Array } = {},
  signal?: AbortSignal,
): Promise<SamMasks> {
  if (points.length !== labels.length)
    throw new AppError('INVALID_INPUT', `${points.length} points but ${labels.length} labels`);
  const s = await rt.session(pack, 'sam_prompt_decoder', signal);
  throwIfAborted(signal);
  const feeds = samDecoderFeeds(s.spec.inputs, enc, points, labels, opts.maskInput);
  const out = await s.session.run(feeds);
  for (const k of ['masks', 'iou_predictions', 'low_res_masks'])
    if (!out[k]) throw new AppError('PACK_INVALID', `${s.spec.file}: no output named ${k}`);
  const md = out.masks.dims;
  return {
    masks: tensorToF32(out.masks, 'masks'),
    iou: tensorToF32(out.iou_predictions, 'iou_predictions'),
    lowRes: tensorToF32(out.low_res_masks, 'low_res_masks'),
    count: md[1],
    height: md[2],
    width: md[3],
    provider: s.provider,
  };
}
