import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import type { Pack } from '../packs/manifest';
import type { InstancePrompt, Segmenter, WindowMask, WindowResult } from './segment-types';

/**
 * The SAM segmenter: the engine encodes each window once (its embedding cache is keyed by pack
 * and window) and decodes one prompt per instance: the positive point plus the prompt's
 * negative points; the engine keeps the multimask output with the highest predicted IoU.
 * @param engine the engine (a forked process, or InProcessEngine for the CLI)
 * @param pack a pack with sam_image_encoder and sam_prompt_decoder roles
 * @param packDir pass the folder when the pack is not in the registry (tests, benchmarks)
 */
export function samSegmenter(engine: Engine, pack: Pack, packDir?: string): Segmenter {
  const m = pack.manifest;
  const dec = m.roles.sam_prompt_decoder;
  if (!m.roles.sam_image_encoder || !dec)
    throw new AppError(
      'UNSUPPORTED',
      `pack ${m.id} is not a SAM pack (it has: ${Object.keys(m.roles).join(', ')})`,
    );
  const bands = m.bands.slice(0, 3);
  const ref = { packId: m.id, packDir };
  return {
    kind: 'sam',
    pack: { id: m.id, sha256: m.files?.[dec.file]?.sha256 ?? '' },
    bands,
    async segmentWindow(key, image, prompts: InstancePrompt[], signal): Promise<WindowResult> {
      let readMs = 0;
      let t = performance.now();
      let enc = await engine.request('engine.samEncode', { ...ref, key }, { signal });
      const cached = enc.ready;
      if (!enc.ready) {
        const img = await image();
        readMs = performance.now() - t;
        const plane = img.window.width * img.window.height;
        const pixels = new Float32Array(bands.length * plane);
        bands.forEach((b, c) => {
          const src = img.bands[b];
          if (!src)
            throw new AppError(
              'INVALID_INPUT',
              `SAM pack ${m.id} needs band ${b}; the window has ${Object.keys(img.bands).join(', ')}`,
            );
          pixels.set(src, c * plane);
        });
        t = performance.now();
        enc = await engine.request(
          'engine.samEncode',
          {
            ...ref,
            key,
            pixels,
            bands,
            valid: img.valid,
            height: img.window.height,
            width: img.window.width,
          },
          { signal },
        );
      }
      const encodeMs = performance.now() - t;
      t = performance.now();
      const masks: WindowMask[] = [];
      for (const p of prompts) {
        throwIfAborted(signal);
        const points: [number, number][] = [
          [p.positive.x, p.positive.y],
          ...p.negatives.map((n): [number, number] => [n.x, n.y]),
        ];
        const labels = points.map((_, i) => (i === 0 ? 1 : 0) as 0 | 1);
        const r = await engine.request('engine.samDecode', { ...ref, key, points, labels }, { signal });
        masks.push({ promptId: p.id, bbox: r.bbox, mask: r.mask, samIou: r.iou });
      }
      return { masks, readMs, encodeMs, decodeMs: performance.now() - t, cached };
    },
  };
}
