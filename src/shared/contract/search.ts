import { z } from 'zod';

/**
 * Projects, indexing, text queries, ROIs and zero-shot classification (issue 5).
 * Isomorphic: zod only. Implemented by src/core/search/search-handlers.ts over one open project
 * per host (the last `project.open`). Scores and grids are typed arrays: they cross HTTP as
 * binary wire frames and Electron/fork channels as structured clones.
 */

export const PROJECT_SCHEMA = 'graft-project/1';

const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
const Position = z.array(z.number()).min(2).max(3);
const Ring = z.array(Position);
/** A GeoJSON Polygon or MultiPolygon in WGS84 lon/lat (rings closed; checked in depth on the way in). */
export const RoiGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type RoiGeometry = z.infer<typeof RoiGeometrySchema>;

export const ProjectSceneSchema = z.object({
  id: z.string().min(1),
  sources: z.array(z.string()).min(1),
  profile: z.enum(['naip', 'sentinel2-l2a', 'rgb']),
  name: z.string(),
});

export const ProjectIndexSchema = z.object({
  sceneId: z.string().min(1),
  packId: z.string().min(1),
  packVersion: z.string(),
  /** sha256 of the pack's patch-encoder ONNX file (from its manifest): identifies the weights. */
  packSha: z.string(),
  /** Relative to the project folder: fields/<sceneId>__<packId>. */
  fieldDir: z.string().min(1),
  /** Every chunk written (the field's own completion bitmap is the source of truth on resume). */
  complete: z.boolean(),
  /** Ground sample distance the chips were read at, m/pixel. */
  gsdM: z.number().positive(),
  /** Patches in the grid (rows × cols). */
  patches: z.number().int().min(0),
  updated: z.string(),
});

export const ProjectQuerySchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  packId: z.string(),
  threshold: z.number(),
  topK: z.number().int().nullable(),
  roiId: z.string().nullable(),
  count: z.number().int().min(0),
  sceneIds: z.array(z.string()),
  created: z.string(),
});

export const ProjectRoiSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  geometry: RoiGeometrySchema,
});

/** project.json, validated on open (a corrupt file is an error, never silently overwritten). */
export const ProjectFileSchema = z.object({
  schema: z.literal(PROJECT_SCHEMA),
  created: z.string(),
  scenes: z.array(ProjectSceneSchema),
  indexes: z.array(ProjectIndexSchema),
  queries: z.array(ProjectQuerySchema),
  rois: z.array(ProjectRoiSchema),
});

export type ProjectFile = z.infer<typeof ProjectFileSchema>;
export type ProjectScene = z.infer<typeof ProjectSceneSchema>;
export type ProjectIndex = z.infer<typeof ProjectIndexSchema>;
export type ProjectQuery = z.infer<typeof ProjectQuerySchema>;
export type ProjectRoi = z.infer<typeof ProjectRoiSchema>;

export const ProjectInfoSchema = ProjectFileSchema.extend({ dir: z.string() });

const LonLat = z.tuple([Lon, Lat]);
const BboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const ScoreStatsSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  /** Patches with a score (not NaN). */
  n: z.number().int(),
});
export type ScoreStats = z.infer<typeof ScoreStatsSchema>;

/** One scene's dense scores over its patch grid, ready for an image overlay. */
export const SceneScoresSchema = z.object({
  sceneId: z.string(),
  rows: z.number().int(),
  cols: z.number().int(),
  /** float32[rows*cols], row-major over the patch grid; NaN = no data, not indexed or outside the ROI. */
  scores: z.instanceof(Float32Array),
  /** Patch-grid corners in WGS84: top-left, top-right, bottom-right, bottom-left (MapLibre image source order). */
  corners: z.tuple([LonLat, LonLat, LonLat, LonLat]),
  stats: ScoreStatsSchema,
  /** False while the scene's index is still being written (unwritten chunks score NaN). */
  complete: z.boolean(),
});

export const DetectionPropsSchema = z.object({
  id: z.number().int(),
  query: z.string(),
  /** Peak patch score (cosine similarity of unit vectors). */
  score: z.number(),
  mean_score: z.number(),
  area_m2: z.number(),
  area_patches: z.number().int(),
  scene: z.string(),
  pack: z.string(),
  threshold: z.number(),
  /** Peak patch centre, WGS84. */
  peak_lon: z.number(),
  peak_lat: z.number(),
});
export type DetectionProps = z.infer<typeof DetectionPropsSchema>;

export const DetectionCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number().int(),
      geometry: z.object({
        type: z.literal('MultiPolygon'),
        coordinates: z.array(z.array(z.array(z.tuple([z.number(), z.number()])))),
      }),
      properties: DetectionPropsSchema,
    }),
  ),
});
export type DetectionCollection = z.infer<typeof DetectionCollectionSchema>;

export const TopPatchSchema = z.object({
  sceneId: z.string(),
  /** Grid index row * cols + col. */
  cell: z.number().int(),
  score: z.number(),
  lon: z.number(),
  lat: z.number(),
  /** [west, south, east, north] of the patch square. */
  bboxWgs84: BboxSchema,
});

/** Per-ROI count: detections (whole objects) touching the ROI, and their area inside it. */
export const RoiCountSchema = z.object({
  roiId: z.string(),
  name: z.string(),
  query: z.string(),
  count: z.number().int(),
  areaM2: z.number(),
  threshold: z.number(),
});
export type RoiCountDto = z.infer<typeof RoiCountSchema>;

export const QueryResultSchema = z.object({
  queryId: z.string(),
  text: z.string(),
  packId: z.string(),
  threshold: z.number(),
  /** How the threshold was chosen: 'given', 'top-k' or 'auto' (see src/core/search/README.md). */
  thresholdSource: z.enum(['given', 'top-k', 'auto']),
  scenes: z.array(SceneScoresSchema),
  detections: DetectionCollectionSchema,
  topK: z.array(TopPatchSchema),
  counts: z.array(RoiCountSchema),
  /** True when the result came from the per-query cache. */
  cached: z.boolean(),
});
export type QueryResult = z.infer<typeof QueryResultSchema>;

/** One retrieved chip (query.chips): a chip of the index's chip grid and its image-level score. */
export const RetrievedChipSchema = z.object({
  sceneId: z.string(),
  /** Cell of the scene's chip grid (chip (row, col) keeps patches from (row·step, col·step)). */
  row: z.number().int(),
  col: z.number().int(),
  /** Cosine of the chip's unit image embedding with the unit query. */
  score: z.number(),
  /** The area the chip's embedding saw (clipped to the indexed grid), WGS84. */
  footprint: z.object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))),
  }),
  centre: z.tuple([z.number(), z.number()]),
});
export type RetrievedChip = z.infer<typeof RetrievedChipSchema>;

export const ChipRetrievalSchema = z.object({
  packId: z.string(),
  /** The text, or "by example (P+, N−)". */
  query: z.string(),
  /** Chips with an embedding that were ranked (inside the ROI when one was given). */
  chipsSearched: z.number().int(),
  sceneIds: z.array(z.string()),
  /** Best first. */
  chips: z.array(RetrievedChipSchema),
});
export type ChipRetrieval = z.infer<typeof ChipRetrievalSchema>;

export const IndexStatusSchema = z.object({
  sceneId: z.string(),
  packId: z.string(),
  rows: z.number().int(),
  cols: z.number().int(),
  chunksDone: z.number().int(),
  chunksTotal: z.number().int(),
  complete: z.boolean(),
  /** The running job of this (scene, pack), if any. */
  jobId: z.string().nullable(),
});

const PackId = z.string().regex(/^[a-z0-9-]+$/);
const Threshold = z.number().min(-1).max(1);

export const searchRequests = {
  /** Opens (or with create: makes) a project folder; it becomes this host's current project. */
  'project.open': {
    req: z.object({ dir: z.string().min(1), create: z.boolean().default(false) }),
    res: ProjectInfoSchema,
  },
  /** The current project (NOT_FOUND before project.open). */
  'project.get': { req: z.object({}), res: ProjectInfoSchema },
  /** Adds a scene (opened through imagery.open's registry) to the current project; idempotent. */
  'project.addScene': {
    req: z.object({
      sources: z.array(z.string()).min(1),
      profile: z.enum(['naip', 'sentinel2-l2a', 'rgb']).optional(),
    }),
    res: ProjectSceneSchema,
  },
  /**
   * Starts (or resumes) indexing one scene with one patch-encoder pack, as a job: progress
   * phase 'indexing' in patches; jobs.cancel stops it after the chunk in flight. forceGsd lets a
   * pack run on imagery whose GSD is more than 4× off its training GSD.
   */
  'index.start': {
    req: z.object({ sceneId: z.string().min(1), packId: PackId, forceGsd: z.boolean().default(false) }),
    res: z.object({ jobId: z.string() }),
  },
  /** Chunk progress of every index of the current project (or one scene/pack). */
  'index.status': {
    req: z.object({ sceneId: z.string().optional(), packId: PackId.optional() }),
    res: z.array(IndexStatusSchema),
  },
  /**
   * Text query: scores over the indexed scenes (all with this pack unless sceneIds), restricted
   * to an ROI (saved roiId or an inline WGS84 geometry) when given; detections = 8-connected
   * components of patches >= threshold (or of the top-K patches when topK is given and no
   * threshold); counts per ROI. Default pack: the only one indexed. Recorded in query history.
   */
  'query.run': {
    req: z.object({
      text: z.string().min(1).max(500),
      packId: PackId.optional(),
      sceneIds: z.array(z.string()).optional(),
      roiId: z.string().optional(),
      roi: RoiGeometrySchema.optional(),
      threshold: Threshold.optional(),
      topK: z.number().int().min(1).max(100_000).optional(),
    }),
    res: QueryResultSchema,
  },
  /**
   * Query by example: q = mean of the clicked patches' vectors (label 1) minus the mean of the
   * negatives (label 0), normalised; then as query.run.
   */
  'query.byExample': {
    req: z.object({
      points: z
        .array(z.object({ lon: Lon, lat: Lat, label: z.union([z.literal(1), z.literal(0)]) }))
        .min(1)
        .max(100),
      packId: PackId.optional(),
      sceneIds: z.array(z.string()).optional(),
      roiId: z.string().optional(),
      threshold: Threshold.optional(),
      topK: z.number().int().min(1).max(100_000).optional(),
    }),
    res: QueryResultSchema,
  },
  /**
   * Chip retrieval with an image-level pack (src/core/retrieve): the topK chips of the indexed
   * scenes whose image embedding is closest to a text (or to example chips under clicked
   * points), restricted to chips whose footprint touches the ROI when one is given. Indexes made
   * before chip embeddings existed fail with NOT_INDEXED ("re-index with --reindex").
   * Give exactly one of text and points. Not recorded in query history.
   */
  'query.chips': {
    req: z.object({
      text: z.string().min(1).max(500).optional(),
      points: z
        .array(z.object({ lon: Lon, lat: Lat, label: z.union([z.literal(1), z.literal(0)]) }))
        .min(1)
        .max(100)
        .optional(),
      packId: PackId.optional(),
      sceneIds: z.array(z.string()).optional(),
      roiId: z.string().optional(),
      roi: RoiGeometrySchema.optional(),
      topK: z.number().int().min(1).max(10_000).default(20),
    }),
    res: ChipRetrievalSchema,
  },
  /** Query history of the current project, newest first. */
  'query.history': { req: z.object({}), res: z.array(ProjectQuerySchema) },
  'roi.list': { req: z.object({}), res: z.array(ProjectRoiSchema) },
  /** Saves an ROI (geometry validated: Polygon/MultiPolygon, WGS84 ranges, closed rings). */
  'roi.add': {
    req: z.object({ name: z.string().min(1).max(200), geometry: z.unknown() }),
    res: ProjectRoiSchema,
  },
  'roi.update': {
    req: z.object({
      id: z.string().min(1),
      name: z.string().min(1).max(200).optional(),
      geometry: z.unknown().optional(),
    }),
    res: ProjectRoiSchema,
  },
  'roi.delete': { req: z.object({ id: z.string().min(1) }), res: z.object({ deleted: z.boolean() }) },
  /** Imports every Polygon/MultiPolygon feature of a GeoJSON text as an ROI (name from properties.name). */
  'roi.import': {
    req: z.object({ geojson: z.string().min(1).max(20_000_000), name: z.string().optional() }),
    res: z.array(ProjectRoiSchema),
  },
  /**
   * Zero-shot classification of an ROI with an image-level pack: the ROI's chips are encoded,
   * averaged, and compared with each label's text embedding (softmax over cosine × 100).
   */
  'classify.run': {
    req: z.object({
      roiId: z.string().optional(),
      roi: RoiGeometrySchema.optional(),
      labels: z.array(z.string().min(1)).min(2).max(100),
      packId: PackId.optional(),
      sceneId: z.string().optional(),
    }),
    res: z.object({
      packId: z.string(),
      chips: z.number().int(),
      labels: z.array(z.object({ label: z.string(), score: z.number(), probability: z.number() })),
    }),
  },
} as const;

export type SearchMethod = keyof typeof searchRequests;
export type SearchReq<M extends SearchMethod> = z.output<(typeof searchRequests)[M]['req']>;
export type SearchRes<M extends SearchMethod> = z.output<(typeof searchRequests)[M]['res']>;
