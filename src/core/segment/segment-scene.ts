import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { ExportFeature } from '../export/export-types';
import { wgs84Converter } from '../imagery/crs';
import type { Scene } from '../imagery/scene';
import type { JobContext } from '../jobs/job-types';
import { instanceFeature, instancePolygon, type FeatureContext, type GridRef } from './instance-to-feature';
import { mergeInstances } from './merge-instances';
import type { InstanceMask, InstancePrompt, SceneWindow, Segmenter, WindowImage } from './segment-types';
import {
  DEFAULT_OVERLAP_PX,
  DEFAULT_WINDOW_PX,
  assignPrompts,
  cutFollowUps,
  windowAround,
  windowKey,
} from './window-plan';

/** Rounds of following an object larger than a window across the edges that still cut it. */
const FOLLOW_ROUNDS = 2;
/** Windows per prompt beyond its grid window (each may cost a SAM encode). */
const MAX_EXTRA_WINDOWS = 6;

/** The parts of a Scene segmentation uses (a Scene satisfies it; tests can fake it). */
export type SegmentableScene = Pick<
  Scene,
  | 'id'
  | 'name'
  | 'width'
  | 'height'
  | 'geoTransform'
  | 'crs'
  | 'resolutionM'
  | 'date'
  | 'bands'
  | 'readWindow'
>;

export interface SegmentSceneOptions {
  /** Simplification tolerance, metres (default half a pixel). */
  toleranceM?: number;
  /** Window side in scene pixels (default 1024, SAM's input at native GSD) and grid overlap. */
  windowPx?: number;
  overlapPx?: number;
}

export interface SegmentTimings {
  readMs: number;
  encodeMs: number;
  decodeMs: number;
  polygonMs: number;
  totalMs: number;
  cachedWindows: number;
  windows: number;
}

export interface SegmentSceneResult {
  /** One feature per object (RFC 7946, WGS84), ordered by SAM IoU then score. */
  features: ExportFeature[];
  /** The merged, non-overlapping instances in scene pixels (same order as `features`). */
  instances: InstanceMask[];
  /** Prompts that made no object, with the reason. */
  skipped: { id: number; reason: string }[];
  timings: SegmentTimings;
}

/** Reads one window in the segmenter's bands; pixels outside the raster or without data are NaN. */
async function readWindowImage(
  scene: SegmentableScene,
  win: SceneWindow,
  bands: string[] | undefined,
  signal?: AbortSignal,
): Promise<WindowImage> {
  const names = bands ?? scene.bands.map((b) => b.name);
  const data = await scene.readWindow(win, { bands: names }, signal);
  for (const b of data.data) for (let i = 0; i < b.length; i++) if (!data.valid[i]) b[i] = Number.NaN;
  const padded =
    win.x < 0 || win.y < 0 || win.x + win.width > scene.width || win.y + win.height > scene.height;
  return {
    window: win,
    bands: Object.fromEntries(names.map((n, i) => [n, data.data[i]])),
    valid: data.valid,
    key: windowKey(scene.id, win),
    padded,
  };
}

/**
 * Segments prompts (detection peaks or clicks, in scene pixels) into instance polygons:
 * prompts are grouped into the scene's window grid (1024-pixel windows at native resolution),
 * each window is segmented once (SAM: one encoder run per window, cached in the engine, then
 * one decoder run per prompt), objects cut by an inner window edge are segmented again in a
 * window centred on them (objects larger than a window are followed across the edges that
 * still cut them, at most MAX_EXTRA_WINDOWS windows per prompt), instances are merged (same
 * prompt, or IoU > 0.5) and overlaps resolved (contested pixels to the higher SAM IoU), then
 * each instance becomes one polygon feature.
 * @throws AppError('INVALID_INPUT') when no prompt lies inside the scene.
 */
export async function segmentScene(
  scene: SegmentableScene,
  prompts: InstancePrompt[],
  segmenter: Segmenter,
  featureCtx: FeatureContext,
  opts: SegmentSceneOptions,
  job: JobContext,
): Promise<SegmentSceneResult> {
  const t0 = performance.now();
  const { signal } = job;
  const size = opts.windowPx ?? DEFAULT_WINDOW_PX;
  const overlap = opts.overlapPx ?? DEFAULT_OVERLAP_PX;
  const skipped: { id: number; reason: string }[] = [];
  const inside = prompts.filter((p) => {
    const { x, y } = p.positive;
    const ok =
      Number.isFinite(x) && Number.isFinite(y) && x >= 0 && y >= 0 && x < scene.width && y < scene.height;
    if (!ok)
      skipped.push({
        id: p.id,
        reason: `point (${x.toFixed(1)}, ${y.toFixed(1)}) px is outside the ${scene.width}x${scene.height} scene ${scene.name}`,
      });
    return ok;
  });
  const timings: SegmentTimings = {
    readMs: 0,
    encodeMs: 0,
    decodeMs: 0,
    polygonMs: 0,
    totalMs: 0,
    cachedWindows: 0,
    windows: 0,
  };
  if (inside.length === 0 && prompts.length > 0)
    throw new AppError('INVALID_INPUT', skipped.map((s) => s.reason).join('; '));

  const instances: InstanceMask[] = [];
  const byId = new Map(inside.map((p) => [p.id, p]));
  const runWindow = async (win: SceneWindow, ps: InstancePrompt[]): Promise<InstanceMask[]> => {
    const key = windowKey(scene.id, win);
    // From the geometry, not from reading: a cached window (SAM embedding, region-grow pixels) is not read again.
    const padded =
      win.x < 0 || win.y < 0 || win.x + win.width > scene.width || win.y + win.height > scene.height;
    const local = ps.map((p) => ({
      ...p,
      positive: { x: p.positive.x - win.x, y: p.positive.y - win.y },
      negatives: p.negatives
        .map((n) => ({ x: n.x - win.x, y: n.y - win.y }))
        .filter((n) => n.x >= 0 && n.y >= 0 && n.x < win.width && n.y < win.height),
    }));
    const r = await segmenter.segmentWindow(
      key,
      () => readWindowImage(scene, win, segmenter.bands, signal),
      local,
      signal,
    );
    timings.readMs += r.readMs;
    timings.encodeMs += r.encodeMs;
    timings.decodeMs += r.decodeMs;
    timings.windows++;
    if (r.cached) timings.cachedWindows++;
    const out: InstanceMask[] = [];
    for (const m of r.masks) {
      const p = byId.get(m.promptId)!;
      if (!m.bbox) continue;
      const [bx0, by0, bx1, by1] = m.bbox;
      const truncated =
        (bx0 === 0 && win.x > 0) ||
        (by0 === 0 && win.y > 0) ||
        (bx1 === win.width && win.x + win.width < scene.width) ||
        (by1 === win.height && win.y + win.height < scene.height);
      out.push({
        bbox: [bx0 + win.x, by0 + win.y, bx1 + win.x, by1 + win.y],
        mask: m.mask,
        promptIds: [p.id],
        score: p.score,
        meanScore: p.meanScore,
        samIou: m.samIou,
        segmenter: segmenter.kind,
        window: win,
        truncated,
        padded,
      });
    }
    return out;
  };

  const plan = assignPrompts(inside, scene.width, scene.height, size, overlap);
  const total = plan.length;
  for (const [i, { window, prompts: ps }] of plan.entries()) {
    throwIfAborted(signal);
    instances.push(...(await runWindow(window, ps)));
    job.progress('segment', i + 1, total);
  }
  // Objects cut by an inner window edge: once more in a window centred on them (with their
  // own prompt); objects larger than a window, still cut there, are followed across each cut
  // edge with a point on the object (cutFollowUps). Pieces of one prompt are unioned below.
  const asked = new Set(
    plan.flatMap(({ window, prompts: ps }) => ps.map((p) => `${p.id}@${windowKey(scene.id, window)}`)),
  );
  const extra = new Map<number, number>();
  let cut = instances.filter((i) => i.truncated);
  for (let round = 0; round <= FOLLOW_ROUNDS && cut.length > 0; round++) {
    const again = new Map<string, { window: SceneWindow; prompts: InstancePrompt[] }>();
    for (const inst of cut) {
      const p = byId.get(inst.promptIds[0])!;
      const around = windowAround(inst.bbox, scene.width, scene.height, size);
      const { x, y } = p.positive;
      const next =
        round === 0 &&
        x >= around.x &&
        y >= around.y &&
        x < around.x + around.width &&
        y < around.y + around.height
          ? [{ window: around, point: p.positive, own: true }]
          : cutFollowUps(inst, inst.window, scene.width, scene.height, size).map((f) => ({
              ...f,
              own: false,
            }));
      for (const { window, point, own } of next) {
        const k = windowKey(scene.id, window);
        if (asked.has(`${p.id}@${k}`) || (extra.get(p.id) ?? 0) >= MAX_EXTRA_WINDOWS) continue;
        asked.add(`${p.id}@${k}`);
        extra.set(p.id, (extra.get(p.id) ?? 0) + 1);
        const e = again.get(k) ?? { window, prompts: [] };
        e.prompts.push(own ? p : { ...p, positive: point, negatives: [], snapPx: 0 });
        again.set(k, e);
      }
    }
    cut = [];
    for (const { window, prompts: ps } of again.values()) {
      throwIfAborted(signal);
      const out = await runWindow(window, ps);
      instances.push(...out);
      cut.push(...out.filter((i) => i.truncated));
    }
  }

  const merged = mergeInstances(instances);
  const made = new Set(merged.flatMap((m) => m.promptIds));
  for (const p of inside)
    if (!made.has(p.id))
      skipped.push({
        id: p.id,
        reason: `empty mask: ${segmenter.kind} found no object at (${p.positive.x.toFixed(1)}, ${p.positive.y.toFixed(1)}) px`,
      });
  const t1 = performance.now();
  const conv = wgs84Converter(scene.crs);
  const grid: GridRef = {
    geoTransform: scene.geoTransform,
    crs: scene.crs,
    resolutionM: scene.resolutionM,
    toWgs84: conv.toWgs84,
  };
  const features: ExportFeature[] = [];
  const kept: InstanceMask[] = [];
  for (const inst of merged) {
    throwIfAborted(signal);
    const poly = instancePolygon(inst, grid, { toleranceM: opts.toleranceM });
    if (!poly) continue;
    features.push(instanceFeature(inst, poly, segmenter.pack, featureCtx, features.length + 1));
    kept.push(inst);
  }
  timings.polygonMs = performance.now() - t1;
  timings.totalMs = performance.now() - t0;
  return { features, instances: kept, skipped, timings };
}
