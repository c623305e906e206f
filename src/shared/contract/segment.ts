import { z } from 'zod';

/**
 * Segmentation contract: SAM point prompts (or classical region growing) → instance polygons.
 * Isomorphic: only zod, no Node imports (the renderer builds its client from it).
 */

const PackId = z.string().regex(/^[a-z0-9-]+$/);

/** A click on the map: WGS84 lon/lat; label 1 = object, 0 = not the object. */
export const SegmentPointSchema = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  label: z.union([z.literal(0), z.literal(1)]).default(1),
});

export const SegmenterKindSchema = z.enum(['sam', 'region-grow', 'patch-grid']);

/** One exported object (RFC 7946 Feature; properties = ObjectFeatureProperties of src/core/export). */
export const ObjectFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) }),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export const FeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(ObjectFeatureSchema),
});

/** Where the time of one segmentation call went, milliseconds. */
export const SegmentTimingsSchema = z.object({
  readMs: z.number(),
  encodeMs: z.number(),
  decodeMs: z.number(),
  polygonMs: z.number(),
  totalMs: z.number(),
  /** Windows whose SAM embedding came from the engine's cache (a repeated click in one window). */
  cachedWindows: z.number().int(),
  windows: z.number().int(),
});

const Tolerance = {
  /** Polygon simplification tolerance, metres (default half a pixel). */
  toleranceM: z.number().min(0).max(1000).optional(),
};

export const segmentRequests = {
  /**
   * Interactive: positive clicks each make one object (negative clicks near it refine it).
   * Fast once the window's SAM embedding is cached in the engine (one decoder run per click).
   * Without packId: region growing, unless a non-fixture SAM pack is installed.
   */
  'segment.points': {
    req: z.object({
      sceneId: z.string().min(1),
      points: z.array(SegmentPointSchema).min(1).max(256),
      packId: PackId.optional(),
      /** 'region-grow' forces the classical segmenter even when a SAM pack exists. */
      segmenter: z.enum(['auto', 'sam', 'region-grow']).default('auto'),
      query: z.string().max(200).default('click'),
      ...Tolerance,
    }),
    res: z.object({
      features: FeatureCollectionSchema,
      segmenter: SegmenterKindSchema,
      /** Points that made nothing (outside the scene, an empty mask), with the reason. */
      skipped: z.array(z.object({ index: z.number().int(), reason: z.string() })),
      timings: SegmentTimingsSchema,
    }),
  },
  /** Segments every detection of a query: a cancellable job (progress in windows); result = counts. */
  'segment.detections': {
    req: z.object({
      queryId: z.string().min(1),
      packId: PackId.optional(),
      segmenter: z.enum(['auto', 'sam', 'region-grow']).default('auto'),
      ...Tolerance,
    }),
    res: z.object({ jobId: z.string() }),
  },
  /** Writes segmented objects (one query, or all) as GeoJSON, GeoPackage or a CSV of counts. */
  /** The objects 'segment.detections' made for a query (to draw them), newest run only. */
  'segment.objects': {
    req: z.object({ queryId: z.string().min(1) }),
    res: z.object({ features: FeatureCollectionSchema }),
  },
  'export.run': {
    req: z.object({
      queryId: z.string().min(1).optional(),
      format: z.enum(['geojson', 'gpkg', 'csv']),
      path: z.string().min(1),
    }),
    res: z.object({ path: z.string(), count: z.number().int() }),
  },
} as const;

/** Engine-process SAM methods (embeddings are cached in the engine, keyed by pack and window). */
export const samEngineRequests = {
  /**
   * Encodes one window with the pack's SAM image encoder, unless `key` is cached. Without
   * `pixels` it only reports whether `key` is cached (so hosts skip reading the window).
   */
  'engine.samEncode': {
    req: z.object({
      packId: PackId,
      packDir: z.string().optional(),
      /** `${sceneId}/${x},${y},${w}x${h}` (src/core/segment/window-plan.ts). */
      key: z.string().min(1),
      // pixels: float32[bands.length, height, width], physical units (NAIP DN, S2 reflectance)
      pixels: z.instanceof(Float32Array).optional(),
      bands: z.array(z.string().min(1)).min(3).optional(),
      // valid: uint8[height, width], 1 = inside the raster (masks never cover padding)
      valid: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected Uint8Array').optional(),
      height: z.number().int().min(1).optional(),
      width: z.number().int().min(1).optional(),
    }),
    res: z.object({
      key: z.string(),
      cached: z.boolean(),
      ready: z.boolean(),
      ms: z.number(),
      provider: z.string().nullable(),
    }),
  },
  /** One prompt on a cached embedding: the chosen mask (by predicted IoU), cropped to its bbox. */
  'engine.samDecode': {
    req: z.object({
      packId: PackId,
      packDir: z.string().optional(),
      key: z.string().min(1),
      /** [x, y] in window pixel-edge coordinates (pixel centre = +0.5). */
      points: z
        .array(z.tuple([z.number(), z.number()]))
        .min(1)
        .max(64),
      labels: z
        .array(z.union([z.literal(0), z.literal(1)]))
        .min(1)
        .max(64),
    }),
    res: z.object({
      /** Half-open [x0, y0, x1, y1] in window pixels; null = empty mask. */
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
      // mask: uint8[(y1-y0)*(x1-x0)], 1 = object
      mask: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected Uint8Array'),
      iou: z.number(),
      ious: z.array(z.number()),
      index: z.number().int(),
      ms: z.number(),
    }),
  },
} as const;

export type SegmentMethod = keyof typeof segmentRequests;
export type SegmentReq<M extends SegmentMethod> = z.input<(typeof segmentRequests)[M]['req']>;
export type SegmentRes<M extends SegmentMethod> = z.output<(typeof segmentRequests)[M]['res']>;
