import { describe, expect, it } from 'vitest';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { mergeInstances } from '../../src/core/segment/merge-instances';
import { regionGrowSegmenter } from '../../src/core/segment/region-grow-segmenter';
import { segmentScene } from '../../src/core/segment/segment-scene';
import type {
  InstanceMask,
  InstancePrompt,
  SceneWindow,
  Segmenter,
  WindowMask,
} from '../../src/core/segment/segment-types';
import { area as turfArea, booleanValid } from '@turf/turf';
import { fakeScene } from './fake-scene';
import { mulberry32 } from '../support/prng';

/**
 * Window edges and overlaps on generated scenes whose true masks are known: an object cut by
 * an inner window edge must come out as ONE instance equal to the object, pieces of one prompt
 * from several windows are unioned, and instances of different prompts that overlap (IoU below
 * the merge threshold) are resolved: contested pixels go to the higher sam_iou.
 */
const W = 512;
const H = 256;
const ctx = {
  query: 'shapes',
  threshold: null,
  patchPack: null,
  sceneId: 'fake',
  acquiredAt: '2020-08-31',
  createdAt: new Date().toISOString(),
};
/** 256-pixel windows overlapping by 64: grid columns start at x = 0, 192, 256. */
const WIN = { windowPx: 256, overlapPx: 64 };

type Inside = (x: number, y: number) => boolean;
const ellipse =
  (cx: number, cy: number, a: number, b: number): Inside =>
  (x, y) =>
    ((x + 0.5 - cx) / a) ** 2 + ((y + 0.5 - cy) / b) ** 2 <= 1;
const disc = (cx: number, cy: number, r: number): Inside => ellipse(cx, cy, r, r);

function truthOf(inside: Inside): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = inside(x, y) ? 1 : 0;
  return m;
}

/** Noisy grass-like background (3 bands, 0..1) with flat-coloured objects painted in order. */
function paint(objects: { inside: Inside; colour: number[] }[]): Float32Array[] {
  const rnd = mulberry32(7);
  const bands = [0, 1, 2].map(() => new Float32Array(W * H));
  for (let i = 0; i < W * H; i++) {
    const x = i % W;
    const y = (i - x) / W;
    const obj = objects.find((o) => o.inside(x, y));
    const base = obj ? obj.colour : [0.25 + 0.03 * Math.sin(x / 9), 0.4, 0.2 + 0.03 * Math.cos(y / 11)];
    bands.forEach((b, c) => (b[i] = base[c] + 0.015 * (rnd() - 0.5)));
  }
  return bands;
}

/** An instance's crop pasted into a full-scene mask. */
function fullMask(inst: { bbox: [number, number, number, number]; mask: Uint8Array }): Uint8Array {
  const out = new Uint8Array(W * H);
  const w = inst.bbox[2] - inst.bbox[0];
  for (let y = inst.bbox[1]; y < inst.bbox[3]; y++)
    for (let x = inst.bbox[0]; x < inst.bbox[2]; x++)
      out[y * W + x] = inst.mask[(y - inst.bbox[1]) * w + x - inst.bbox[0]];
  return out;
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union ? inter / union : 0;
}

/** A mask crop of `truth` inside `win` (window pixels), as a segmenter returns it. */
function cropToWindow(truth: Uint8Array, win: SceneWindow): Omit<WindowMask, 'promptId' | 'samIou'> {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = Math.max(0, win.y); y < Math.min(H, win.y + win.height); y++)
    for (let x = Math.max(0, win.x); x < Math.min(W, win.x + win.width); x++)
      if (truth[y * W + x]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
  if (x1 < 0) return { bbox: null, mask: new Uint8Array(0) };
  const mask = new Uint8Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) mask[(y - y0) * (x1 - x0) + x - x0] = truth[y * W + x];
  return { bbox: [x0 - win.x, y0 - win.y, x1 - win.x, y1 - win.y], mask };
}

/**
 * A SAM stand-in that knows the objects: prompt id k gets object k's true mask, clipped to the
 * window it is asked about (as SAM sees only its window), with predicted IoU `ious[k]`. Logs
 * the windows it was asked about.
 */
function oracleSegmenter(truths: Uint8Array[], ious: number[], calls: SceneWindow[] = []): Segmenter {
  return {
    kind: 'sam',
    pack: { id: 'oracle', sha256: '' },
    bands: ['R', 'G', 'B'],
    async segmentWindow(_key, image, prompts) {
      const { window } = await image();
      calls.push(window);
      const masks = prompts.map((p) => ({
        promptId: p.id,
        samIou: ious[p.id],
        ...cropToWindow(truths[p.id], window),
      }));
      return { masks, readMs: 0, encodeMs: 0, decodeMs: 0, cached: false };
    },
  };
}

const prompt = (id: number, x: number, y: number): InstancePrompt => ({
  id,
  positive: { x: x + 0.5, y: y + 0.5 },
  negatives: [],
  score: null,
  meanScore: null,
});

describe('objects cut by a window edge', () => {
  // An ellipse spanning x 150..290: the click at x = 160 lies only in the grid window [0, 256),
  // whose right edge (x = 256, an inner edge) cuts the ellipse.
  const inside = ellipse(220, 128, 70, 30);
  const truth = truthOf(inside);
  const scene = fakeScene(paint([{ inside, colour: [0.55, 0.3, 0.25] }]), W, H);
  const click = prompt(0, 160, 128);

  it('SAM-like segmenter: the cut piece is segmented again in a window around it; ONE instance, the whole object', async () => {
    const calls: SceneWindow[] = [];
    const r = await segmentScene(
      scene,
      [click],
      oracleSegmenter([truth], [0.9], calls),
      ctx,
      WIN,
      silentJobContext(),
    );
    // First the grid window that cuts the object, then a window around the cut piece.
    expect(calls[0]).toEqual({ x: 0, y: 0, width: 256, height: 256 });
    expect(calls).toHaveLength(2);
    expect(calls[1].x + calls[1].width).toBeGreaterThanOrEqual(290);
    expect(r.instances).toHaveLength(1);
    expect(r.features).toHaveLength(1);
    expect(r.instances[0].promptIds).toEqual([0]);
    expect(r.instances[0].truncated).toBe(false);
    const v = iou(fullMask(r.instances[0]), truth);
    console.log(
      `window edge, oracle: IoU ${v.toFixed(4)}, windows ${calls.map((w) => `${w.x},${w.y}`).join(' ')}`,
    );
    expect(v).toBe(1);
    expect(booleanValid(r.features[0].geometry as never)).toBe(true);
  });

  it('region growing: the same object comes out whole (IoU >= 0.9), one valid polygon', async () => {
    const r = await segmentScene(scene, [click], regionGrowSegmenter(), ctx, WIN, silentJobContext());
    expect(r.timings.windows).toBe(2);
    expect(r.instances).toHaveLength(1);
    expect(r.features).toHaveLength(1);
    const v = iou(fullMask(r.instances[0]), truth);
    console.log(
      `window edge, region growing: IoU ${v.toFixed(4)}, bbox ${JSON.stringify(r.instances[0].bbox)}`,
    );
    expect(v).toBeGreaterThanOrEqual(0.9);
    expect(r.instances[0].bbox[2]).toBeGreaterThan(256); // reaches past the edge that cut it
    expect(r.features[0].geometry.type).toBe('Polygon');
    expect(booleanValid(r.features[0].geometry as never)).toBe(true);
  });

  it('an object larger than a window is followed across the edges that cut it: ONE instance', async () => {
    // A bar 340 x 40 px, longer than a 256-px window: no single window holds it.
    const insideBar: Inside = (x, y) => x >= 90 && x < 430 && y >= 100 && y < 140;
    const bar = truthOf(insideBar);
    const sc = fakeScene(paint([{ inside: insideBar, colour: [0.6, 0.55, 0.5] }]), W, H);
    const calls: SceneWindow[] = [];
    const r = await segmentScene(
      sc,
      [prompt(0, 120, 120)],
      oracleSegmenter([bar], [0.9], calls),
      ctx,
      WIN,
      silentJobContext(),
    );
    expect(r.instances).toHaveLength(1);
    const v = iou(fullMask(r.instances[0]), bar);
    console.log(
      `bar longer than a window, oracle: IoU ${v.toFixed(4)}, windows ${calls.map((w) => `${w.x},${w.y}`).join(' ')}`,
    );
    expect(v).toBe(1);
    const rg = await segmentScene(
      sc,
      [prompt(0, 120, 120)],
      regionGrowSegmenter(),
      ctx,
      WIN,
      silentJobContext(),
    );
    expect(rg.instances).toHaveLength(1);
    expect(rg.features).toHaveLength(1);
    const vr = iou(fullMask(rg.instances[0]), bar);
    console.log(
      `bar longer than a window, region growing: IoU ${vr.toFixed(4)}, ${rg.timings.windows} windows`,
    );
    expect(vr).toBeGreaterThanOrEqual(0.9);
    expect(booleanValid(rg.features[0].geometry as never)).toBe(true);
  });

  it('pieces of one prompt from two windows are unioned into one instance', () => {
    // The ellipse seen by the windows [0,256) and [192,448): each piece is cut, their union is whole.
    const piece = (win: SceneWindow): InstanceMask => {
      const c = cropToWindow(truth, win);
      const [x0, y0, x1, y1] = c.bbox!;
      return {
        bbox: [x0 + win.x, y0 + win.y, x1 + win.x, y1 + win.y],
        mask: c.mask,
        promptIds: [0],
        score: null,
        meanScore: null,
        samIou: 0.8,
        segmenter: 'sam',
        window: win,
        truncated: true,
        padded: false,
      };
    };
    const a = piece({ x: 0, y: 0, width: 256, height: 256 });
    const b = piece({ x: 192, y: 0, width: 256, height: 256 });
    expect(iou(fullMask(a), truth)).toBeLessThan(0.9);
    expect(iou(fullMask(b), truth)).toBeLessThan(0.9);
    const merged = mergeInstances([a, b]);
    expect(merged).toHaveLength(1);
    expect(iou(fullMask(merged[0]), truth)).toBe(1);
    // Different prompts: pieces that barely overlap (IoU <= 0.5) are two objects, resolved
    // without overlap; the same pieces under one prompt are one object.
    const c = { ...piece({ x: 232, y: 0, width: 256, height: 256 }), promptIds: [1], samIou: 0.7 };
    expect(iou(fullMask(a), fullMask(c))).toBeLessThan(0.5);
    const apart = mergeInstances([a, c]);
    expect(apart).toHaveLength(2);
    const fa = fullMask(a);
    expect(iou(fullMask(apart[0]), fa)).toBe(1);
    expect(fullMask(apart[1]).reduce((n, v, i) => n + (v & fa[i]), 0)).toBe(0);
    expect(mergeInstances([a, { ...c, promptIds: [0] }])).toHaveLength(1);
  });
});

describe('overlapping instances of different prompts', () => {
  // Two discs overlapping in a lens (IoU of the two about 0.15: not one object).
  const insideA = disc(200, 120, 40);
  const insideB = disc(255, 130, 40);
  const truthA = truthOf(insideA);
  const truthB = truthOf(insideB);
  const scene = fakeScene(
    paint([
      { inside: insideA, colour: [0.6, 0.3, 0.2] },
      { inside: insideB, colour: [0.2, 0.3, 0.6] },
    ]),
    W,
    H,
  );
  const prompts = [prompt(0, 185, 120), prompt(1, 270, 130)];
  const minus = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => (v && !b[i] ? 1 : 0));

  for (const [iouA, iouB] of [
    [0.93, 0.81],
    [0.7, 0.95],
  ]) {
    it(`contested pixels go to the higher sam_iou (A ${iouA}, B ${iouB})`, async () => {
      expect(iou(truthA, truthB)).toBeLessThan(0.5);
      const r = await segmentScene(
        scene,
        prompts,
        oracleSegmenter([truthA, truthB], [iouA, iouB]),
        ctx,
        {},
        silentJobContext(),
      );
      expect(r.instances).toHaveLength(2);
      const a = r.instances.find((i) => i.promptIds.includes(0))!;
      const b = r.instances.find((i) => i.promptIds.includes(1))!;
      const [ma, mb] = [fullMask(a), fullMask(b)];
      let overlap = 0;
      for (let i = 0; i < ma.length; i++) overlap += ma[i] & mb[i];
      expect(overlap).toBe(0);
      const [wantA, wantB] = iouA > iouB ? [truthA, minus(truthB, truthA)] : [minus(truthA, truthB), truthB];
      const va = iou(ma, wantA);
      const vb = iou(mb, wantB);
      console.log(
        `overlap (A ${iouA}, B ${iouB}): IoU A ${va.toFixed(4)}, B ${vb.toFixed(4)}; whole disc kept by ${iouA > iouB ? 'A' : 'B'}`,
      );
      expect(va).toBe(1);
      expect(vb).toBe(1);
      // Features: ordered by sam_iou, valid, areas add up to the union of the discs (5 m
      // pixels; polygons are simplified by half a pixel, so within 2 %).
      expect(r.features.map((f) => f.properties.sam_iou)).toEqual([
        Math.max(iouA, iouB),
        Math.min(iouA, iouB),
      ]);
      const union = truthA.reduce((n, v, i) => n + (v | truthB[i]), 0);
      const area = r.features.reduce((n, f) => n + Number(f.properties.area_m2), 0);
      expect(Math.abs(area - union * 25) / (union * 25)).toBeLessThan(0.02);
      for (const f of r.features) {
        expect(booleanValid(f.geometry as never)).toBe(true);
        expect(
          Math.abs(turfArea(f.geometry as never) - Number(f.properties.area_m2)) /
            Number(f.properties.area_m2),
        ).toBeLessThan(0.005);
      }
    });
  }
});
