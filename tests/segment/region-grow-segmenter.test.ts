import { describe, expect, it } from 'vitest';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { regionGrowSegmenter } from '../../src/core/segment/region-grow-segmenter';
import { segmentScene } from '../../src/core/segment/segment-scene';
import type { InstanceMask, InstancePrompt } from '../../src/core/segment/segment-types';
import { isValidPolygons } from '../../src/core/vector/ring-validity';
import { area as turfArea, booleanValid } from '@turf/turf';
import { iou, makeScene } from '../vector-export/synthetic-scene';
import { fakeScene } from './fake-scene';

/** An instance's crop pasted into a full-scene mask. */
function fullMask(inst: InstanceMask, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const w = inst.bbox[2] - inst.bbox[0];
  for (let y = inst.bbox[1]; y < inst.bbox[3]; y++)
    for (let x = inst.bbox[0]; x < inst.bbox[2]; x++)
      out[y * width + x] = inst.mask[(y - inst.bbox[1]) * w + x - inst.bbox[0]];
  return out;
}

const ctx = {
  query: 'shapes',
  threshold: Number.NaN,
  patchPack: null,
  sceneId: 'fake',
  acquiredAt: '2020-08-31',
  createdAt: new Date().toISOString(),
};

describe('region growing through the segmenter interface (segmentScene)', () => {
  const s = makeScene();
  const scene = fakeScene(s.bands, s.width, s.height);
  const prompts: InstancePrompt[] = s.shapes.map((sh, i) => ({
    id: i,
    positive: { x: sh.seed.x + 0.5, y: sh.seed.y + 0.5 },
    negatives: [],
    score: null,
    meanScore: null,
  }));

  it('finds every shape with IoU >= 0.9, one valid polygon each', async () => {
    // Small windows (128 px, overlap 32) so shapes are cut by inner window edges and re-segmented.
    const r = await segmentScene(
      scene,
      prompts,
      regionGrowSegmenter(),
      ctx,
      { windowPx: 128, overlapPx: 32 },
      silentJobContext(),
    );
    expect(r.skipped).toEqual([]);
    expect(r.features).toHaveLength(s.shapes.length);
    for (const [i, sh] of s.shapes.entries()) {
      const k = r.instances.findIndex((inst) => inst.promptIds.includes(i));
      expect(k, sh.name).toBeGreaterThanOrEqual(0);
      const v = iou(fullMask(r.instances[k], s.width, s.height), sh.truth);
      console.log(
        `segmenter region-grow ${sh.name}: IoU ${v.toFixed(4)} (truncated ${r.instances[k].truncated})`,
      );
      expect(v, sh.name).toBeGreaterThanOrEqual(0.9);
      const f = r.features[k];
      expect(f.properties.segmenter).toBe('region-grow');
      expect(f.properties.sam_iou).toBeNull();
      expect(booleanValid(f.geometry as never)).toBe(true);
      // area_m2 (planar UTM) vs geodesic area of the WGS84 polygon: same object, < 0.5 % apart
      expect(
        Math.abs(Number(f.properties.area_m2) - turfArea(f.geometry as never)) / Number(f.properties.area_m2),
      ).toBeLessThan(0.005);
    }
  });

  it('instances never overlap and every polygon is valid in pixel space', async () => {
    // Two prompts in the same object merge (IoU > 0.5) into one instance.
    const disc = s.shapes[0];
    const dup: InstancePrompt[] = [
      prompts[0],
      { ...prompts[0], id: 99, positive: { x: disc.seed.x + 5.5, y: disc.seed.y + 0.5 } },
    ];
    const r = await segmentScene(scene, dup, regionGrowSegmenter(), ctx, {}, silentJobContext());
    expect(r.instances).toHaveLength(1);
    expect(r.instances[0].promptIds).toEqual([0, 99]);
    expect(r.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
  });

  it('bad input: points outside the scene are reported; all outside is an error', async () => {
    const out: InstancePrompt = {
      id: 7,
      positive: { x: -3, y: 10 },
      negatives: [],
      score: null,
      meanScore: null,
    };
    const r = await segmentScene(
      scene,
      [prompts[0], out],
      regionGrowSegmenter(),
      ctx,
      {},
      silentJobContext(),
    );
    expect(r.features).toHaveLength(1);
    expect(r.skipped).toEqual([
      { id: 7, reason: expect.stringMatching(/outside the 320x256 scene fake-scene/) },
    ]);
    await expect(
      segmentScene(scene, [out], regionGrowSegmenter(), ctx, {}, silentJobContext()),
    ).rejects.toThrow(/outside/);
  });

  it('bad input: a point on nodata makes an empty mask, reported not thrown', async () => {
    const holed = s.bands.map((b) => b.slice());
    for (const b of holed)
      for (let y = 100; y < 120; y++) for (let x = 100; x < 120; x++) b[y * s.width + x] = Number.NaN;
    const sc = fakeScene(holed, s.width, s.height);
    // readWindow marks NaN as valid; mark it invalid like a nodata raster would.
    const read = sc.readWindow.bind(sc);
    sc.readWindow = async (w, o) => {
      const d = await read(w, o);
      for (let i = 0; i < d.valid.length; i++) if (Number.isNaN(d.data[0][i])) d.valid[i] = 0;
      return d;
    };
    const p: InstancePrompt = {
      id: 3,
      positive: { x: 110.5, y: 110.5 },
      negatives: [],
      score: null,
      meanScore: null,
    };
    const r = await segmentScene(sc, [p], regionGrowSegmenter(), ctx, {}, silentJobContext());
    expect(r.features).toHaveLength(0);
    expect(r.skipped[0].reason).toMatch(/empty mask/);
  });

  it('a window at the raster edge: an object touching the edge stays whole and valid', async () => {
    const edge = s.shapes.find((x) => x.name === 'edge-touching')!;
    const i = s.shapes.indexOf(edge);
    const r = await segmentScene(
      scene,
      [prompts[i]],
      regionGrowSegmenter(),
      ctx,
      { windowPx: 96, overlapPx: 16 },
      silentJobContext(),
    );
    expect(iou(fullMask(r.instances[0], s.width, s.height), edge.truth)).toBeGreaterThanOrEqual(0.9);
    expect(isValidPolygons([[r.features[0].geometry.coordinates[0] as never]])).toBe(true);
  });
});
