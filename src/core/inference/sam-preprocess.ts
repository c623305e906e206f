import { AppError } from '../../shared/errors';
import type { PackManifest } from '../packs/manifest';
import { resizeBilinear, unitPlane, type Chip } from './preprocess';

export interface SamInput {
  /** image: float32[1,3,S,S], normalised in 0..255 pixel space, zero-padded bottom/right. */
  image: Float32Array;
  size: number;
  /** Original chip size (H, W) in pixels. */
  origSize: [number, number];
  /** Size after the longest-side resize, before padding (H, W). */
  resized: [number, number];
}

/** SAM's ResizeLongestSide target: scale = S / max(h, w); each side rounded half up. */
export function samResizedShape(h: number, w: number, size: number): [number, number] {
  const scale = size / Math.max(h, w);
  return [Math.floor(h * scale + 0.5), Math.floor(w * scale + 0.5)];
}

/**
 * SAM preprocessing of one chip: the first three manifest bands (R,G,B) to 0..255 via
 * pixel_range, longest side resized to input_size (bilinear, align_corners=False),
 * (p - mean) / std per channel, zero-padded to input_size × input_size.
 */
export function samPreprocess(m: PackManifest, chip: Chip): SamInput {
  const spec = m.roles.sam_image_encoder;
  if (!spec) throw new AppError('UNSUPPORTED', `pack ${m.id} has no sam_image_encoder`);
  const S = spec.input_size;
  const [h, w] = [chip.height, chip.width];
  const [rh, rw] = samResizedShape(h, w, S);
  const image = new Float32Array(3 * S * S);
  for (let c = 0; c < 3; c++) {
    const p = unitPlane(chip, m.bands[c], m.input.pixel_range, m.id);
    for (let i = 0; i < p.length; i++) p[i] *= 255;
    const r = rh === h && rw === w ? p : resizeBilinear(p, h, w, rh, rw);
    const mean = spec.mean[c];
    const inv = 1 / spec.std[c];
    const o = c * S * S;
    for (let y = 0; y < rh; y++)
      for (let x = 0; x < rw; x++) image[o + y * S + x] = (r[y * rw + x] - mean) * inv;
  }
  return { image, size: S, origSize: [h, w], resized: [rh, rw] };
}
