import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import { samDecoderFeeds, type SamEncoding } from '../inference/sam';
import type { ModelRuntime } from '../inference/model-runtime';
import { tensorToF32 } from '../inference/tensor-io';
import type { Pack } from '../packs/manifest';
import { lowResMaskCrop, pickMaskIndex } from './sam-postprocess';

/** The decoder outputs one click needs: the low-res logits (upsampled here) and the IoU predictions. */
const FETCHES = ['iou_predictions', 'low_res_masks'];

export interface SamCropResult {
  /** Half-open bbox [x0, y0, x1, y1) in window (original chip) pixels, null when empty. */
  bbox: [number, number, number, number] | null;
  /** uint8[(y1-y0)*(x1-x0)], 1 = object. */
  mask: Uint8Array;
  index: number;
  /** iou_predictions float32[M]. */
  ious: Float32Array;
}

/**
 * One SAM click, cheaply: runs the prompt decoder (standard SAM ONNX signature) fetching only
 * `iou_predictions` and `low_res_masks` — ONNX Runtime then skips the graph's two Resize
 * nodes that upsample all M masks to 1024² and to orig_im_size — picks the mask by predicted
 * IoU (pickMaskIndex) and upsamples only that mask, only over the rows and columns its
 * positive logits can reach (lowResMaskCrop: the graph's Resize chain, bilinear half-pixel).
 * Same mask as thresholding the graph's `masks` output (tests/segment/sam-pipeline-parity).
 * points: [x, y] in window pixels; labels: 1 positive, 0 negative. A (0,0,-1) padding point
 * is appended, as in SAM's ONNX example and samDecode.
 * @param valid uint8[h*w] of the window, 1 = real pixels (masks are cut to them)
 */
export async function samDecodeCrop(
  rt: ModelRuntime,
  pack: Pack,
  enc: SamEncoding,
  points: readonly [number, number][],
  labels: readonly number[],
  valid: Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<SamCropResult> {
  if (points.length !== labels.length)
    throw new AppError('INVALID_INPUT', `${points.length} points but ${labels.length} labels`);
  const s = await rt.session(pack, 'sam_prompt_decoder', signal);
  throwIfAborted(signal);
  const feeds = samDecoderFeeds(s.spec.inputs, enc, points, labels);
  const out = await s.session.run(feeds, FETCHES);
  for (const k of FETCHES)
    if (!out[k]) throw new AppError('PACK_INVALID', `${s.spec.file}: no output named ${k}`);
  const ious = tensorToF32(out.iou_predictions, 'iou_predictions');
  // low_res_masks: float32[1,M,lh,lw] logits (256x256 in SAM)
  const [, , lh, lw] = out.low_res_masks.dims;
  const lowRes = tensorToF32(out.low_res_masks, 'low_res_masks');
  const pos = labels.filter((l) => l === 1).length;
  const index = pickMaskIndex(ious, pos, labels.length - pos);
  const { bbox, mask } = lowResMaskCrop(
    lowRes.subarray(index * lh * lw, (index + 1) * lh * lw),
    lh,
    lw,
    enc.inputSize,
    enc.resized,
    enc.origSize,
    valid,
  );
  return { bbox, mask, index, ious };
}
