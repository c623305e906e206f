import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samResizedShape } from '../../src/core/inference/sam-preprocess';
import { lowResMaskCrop, thresholdCrop } from '../../src/core/segment/sam-postprocess';

/**
 * lowResMaskCrop (one mask, upsampled only where it can be positive) against PyTorch's SAM
 * mask postprocessing on the same low-res logits: F.interpolate to 1024² (bilinear,
 * align_corners=False), slice to the resized frame, F.interpolate to the original size — the
 * chain the standard SAM ONNX graph exports. Small objects anywhere in the window (centre,
 * corners, edges), several window shapes. A pixel may differ only where PyTorch's logit lies
 * within 1e-4 of the threshold 0 (float32 vs float64 summation order).
 */
const PY = '/usr/bin/python3';
const HAVE_TORCH = spawnSync(PY, ['-c', 'import torch']).status === 0;
if (!HAVE_TORCH)
  console.warn('[sam-mask-upsample] skipped: /usr/bin/python3 has no torch (apt install python3-torch)');
const TOL = 1e-4;
const TORCH_CHAIN = `
import sys, numpy as np, torch, torch.nn.functional as F
src, dst, S, rh, rw, h, w = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:8])
x = torch.from_numpy(np.fromfile(src, dtype=np.float32).reshape(1, 1, 256, 256))
m = F.interpolate(x, (S, S), mode="bilinear", align_corners=False)[..., :rh, :rw]
m = F.interpolate(m, (h, w), mode="bilinear", align_corners=False)
m.numpy().astype(np.float32).tofile(dst)
`;

/** Low-res logits: negative background with Gaussian bumps (positive cores) at (cx, cy, sigma) in the 256 grid. */
function logits(bumps: [number, number, number][]): Float32Array {
  const out = new Float32Array(256 * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) {
      let v = -6 + 0.3 * Math.sin(x * 0.7) * Math.cos(y * 0.5);
      for (const [cx, cy, s] of bumps) v += 12 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s));
      out[y * 256 + x] = v;
    }
  return out;
}

describe.skipIf(!HAVE_TORCH)('SAM mask upsampling of one mask, cropped = PyTorch', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sam-up-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: {
    name: string;
    h: number;
    w: number;
    bumps: [number, number, number][];
    valid?: (x: number, y: number) => boolean;
  }[] = [
    { name: 'small object, 1024² window', h: 1024, w: 1024, bumps: [[120.3, 80.7, 2.5]] },
    {
      name: 'two objects, 723x934 window (NAIP 5 m sample)',
      h: 723,
      w: 934,
      bumps: [
        [40, 30, 3],
        [200, 150, 1.6],
      ],
    },
    {
      name: 'objects at the corners and the right edge, 600x800',
      h: 600,
      w: 800,
      bumps: [
        [0, 0, 3],
        [255, 100, 2],
        [254.5, 191, 2],
      ],
    },
    { name: 'small object, tiny 37x100 window (downsampling)', h: 37, w: 100, bumps: [[128, 40, 1.2]] },
    { name: 'object cut by nodata, 900x700', h: 900, w: 700, bumps: [[100, 100, 6]], valid: (x) => x < 350 },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const low = logits(c.bumps);
      const [rh, rw] = samResizedShape(c.h, c.w, 1024);
      const src = path.join(tmp, 'low.f32');
      const dst = path.join(tmp, 'full.f32');
      fs.writeFileSync(src, Buffer.from(low.buffer));
      execFileSync(PY, [
        '-c',
        TORCH_CHAIN,
        src,
        dst,
        '1024',
        String(rh),
        String(rw),
        String(c.h),
        String(c.w),
      ]);
      const b = fs.readFileSync(dst);
      const full = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      const valid = c.valid
        ? Uint8Array.from({ length: c.h * c.w }, (_, i) => (c.valid!(i % c.w, Math.floor(i / c.w)) ? 1 : 0))
        : undefined;
      const ours = lowResMaskCrop(low, 256, 256, 1024, [rh, rw], [c.h, c.w], valid);
      const want = thresholdCrop(full, 0, c.h, c.w, valid);
      let differ = 0;
      let unexplained = 0;
      let pos = 0;
      const bw = ours.bbox ? ours.bbox[2] - ours.bbox[0] : 0;
      for (let y = 0; y < c.h; y++)
        for (let x = 0; x < c.w; x++) {
          const o =
            ours.bbox && x >= ours.bbox[0] && x < ours.bbox[2] && y >= ours.bbox[1] && y < ours.bbox[3]
              ? ours.mask[(y - ours.bbox[1]) * bw + x - ours.bbox[0]]
              : 0;
          const l = full[y * c.w + x];
          const t = l > 0 && (!valid || valid[y * c.w + x]) ? 1 : 0;
          pos += t;
          if (o !== t) {
            differ++;
            if (Math.abs(l) > TOL) unexplained++;
          }
        }
      console.log(
        `${c.name}: ${pos} object pixels, ${differ} differ (unexplained ${unexplained}); bbox ours ${JSON.stringify(ours.bbox)} torch ${JSON.stringify(want.bbox)}`,
      );
      expect(pos).toBeGreaterThan(0);
      expect(unexplained).toBe(0);
      if (differ === 0) expect(ours.bbox).toEqual(want.bbox);
    });
  }

  it('an all-negative mask is empty', () => {
    expect(lowResMaskCrop(logits([]), 256, 256, 1024, [1024, 1024], [1024, 1024]).bbox).toBeNull();
  });
});
