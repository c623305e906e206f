/**
 * Types of the segmentation pipeline: prompts in scene pixels, windows the segmenters look at,
 * and instance masks in scene pixels.
 *
 * Coordinates: scene pixel-edge frame of the full-resolution grid (x = column, y = row, y down;
 * (0, 0) is the top-left corner of the raster, a pixel's centre is at +0.5).
 */
import type { Segmenter as SegmenterKind } from '../export/export-types';

export type { SegmenterKind };

/** A click or a detection peak: 1 = on the object, 0 = not the object. */
export interface PromptPoint {
  x: number;
  y: number;
  label: 0 | 1;
}

/** One object to segment: its positive point plus negative points that belong to it. */
export interface InstancePrompt {
  /** Caller's id (detection id, click index); carried to the instance. */
  id: number;
  positive: { x: number; y: number };
  negatives: { x: number; y: number }[];
  /** Detection score at the positive point (null for clicks). */
  score: number | null;
  /** Mean detection score over the detection (null for clicks). */
  meanScore: number | null;
  /**
   * A detection's peak is a patch centre, not a chosen pixel: segmenters that need a clean seed
   * (region growing) may move it up to this many pixels to the most homogeneous spot. 0 for clicks.
   */
  snapPx?: number;
}

/** A window of the scene at native resolution: [x, x+size) × [y, y+size), may reach past the raster. */
export interface SceneWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels of one window as the segmenters take them (R, G, B, … in physical units). */
export interface WindowImage {
  window: SceneWindow;
  /** Band name → float32[height*width]. Pixels outside the raster are NaN. */
  bands: Record<string, Float32Array>;
  /** uint8[height*width]: 1 = inside the raster and has data. */
  valid: Uint8Array;
  /** Stable cache key of these pixels: `${sceneId}/${x},${y},${width}x${height}`. */
  key: string;
  /** True when part of the window lies outside the raster (padded with invalid pixels). */
  padded: boolean;
}

/** A binary mask in scene pixels, stored as a crop: bbox [x0, y0, x1, y1) (half-open). */
export interface SceneMask {
  bbox: [number, number, number, number];
  /** uint8[(y1-y0)*(x1-x0)], 1 = object. */
  mask: Uint8Array;
}

/** One segmented object in scene pixels. */
export interface InstanceMask extends SceneMask {
  /** Prompt ids merged into this instance (one unless duplicates were merged). */
  promptIds: number[];
  score: number | null;
  meanScore: number | null;
  /** SAM's predicted IoU of the chosen mask; null for region growing. */
  samIou: number | null;
  segmenter: SegmenterKind;
  /** The window it was segmented in; `truncated` when the mask touches an inner window edge. */
  window: SceneWindow;
  truncated: boolean;
  /** The window reached past the raster edge (padded). */
  padded: boolean;
}

/** A mask of one prompt inside one window, in window pixels (crop as in SceneMask but window frame). */
export interface WindowMask {
  promptId: number;
  bbox: [number, number, number, number] | null;
  mask: Uint8Array;
  samIou: number | null;
}

/** What one window cost and gave. */
export interface WindowResult {
  masks: WindowMask[];
  readMs: number;
  encodeMs: number;
  decodeMs: number;
  /** The SAM embedding of this window was already in the engine's cache. */
  cached: boolean;
}

/** What turns prompts into masks: SAM (through the engine) or classical region growing. */
export interface Segmenter {
  readonly kind: SegmenterKind;
  /** SAM pack id and sha256 of its prompt decoder ONNX; null for region growing. */
  readonly pack: { id: string; sha256: string } | null;
  /** Bands the segmenter needs from the scene (undefined: all of them). */
  readonly bands: string[] | undefined;
  /**
   * Segments each prompt inside one window (prompt points in WINDOW pixel-edge coordinates).
   * `image()` reads the window's pixels; SAM calls it only when its embedding of `key` is not
   * cached in the engine, so a repeated click costs one decoder run.
   */
  segmentWindow(
    key: string,
    image: () => Promise<WindowImage>,
    prompts: InstancePrompt[],
    signal?: AbortSignal,
  ): Promise<WindowResult>;
}
