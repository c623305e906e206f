import { z } from 'zod';

/** Sensor profile ids (mirrors src/core/imagery/profiles.ts). */
export const ProfileIdSchema = z.enum(['naip', 'sentinel2-l2a', 'rgb']);
export const RenderKindSchema = z.enum(['truecolor', 'falsecolor']);

const Bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** The JSON description of an open scene. */
export const SceneInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  sources: z.array(z.string()),
  profile: ProfileIdSchema,
  width: z.number().int(),
  height: z.number().int(),
  bands: z.array(z.object({ name: z.string(), dataType: z.string() })),
  crs: z.object({ epsg: z.number().int().nullable(), proj4: z.string() }),
  /** GDAL order [x0, dx, rx, y0, ry, dy], CRS units, pixel-edge origin. */
  geoTransform: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
  resolutionM: z.tuple([z.number(), z.number()]),
  boundsWgs84: Bbox,
  boundsNative: Bbox,
  nodata: z.number().nullable(),
  date: z.string().nullable(),
  stretch: z.object({
    method: z.enum(['percentile', 'identity8']),
    percentiles: z.tuple([z.number(), z.number()]),
    /** Physical value range [lo, hi] mapped to 0–255, per band name. */
    bands: z.record(z.string(), z.tuple([z.number(), z.number()])),
  }),
  availableRenders: z.array(RenderKindSchema),
});
export type SceneInfoJson = z.infer<typeof SceneInfoSchema>;

const SceneIdReq = z.object({ sceneId: z.string().min(1) });

/**
 * Imagery requests. Tiles are not a request: hosts serve them at
 * `/tiles/<sceneId>/<z>/<x>/<y>.png?render=truecolor` via `SceneRegistry.renderTile`.
 */
export const imageryRequests = {
  'imagery.open': {
    req: z.object({ sources: z.array(z.string()).min(1), profile: ProfileIdSchema.optional() }),
    res: SceneInfoSchema,
  },
  'imagery.list': { req: z.object({}), res: z.array(SceneInfoSchema) },
  'imagery.close': { req: SceneIdReq, res: z.object({ closed: z.boolean() }) },
  'imagery.info': { req: SceneIdReq, res: SceneInfoSchema },
} as const;

export type ImageryMethod = keyof typeof imageryRequests;
export type ImageryReq<M extends ImageryMethod> = z.infer<(typeof imageryRequests)[M]['req']>;
export type ImageryRes<M extends ImageryMethod> = z.infer<(typeof imageryRequests)[M]['res']>;

/** Tile query parameters as hosts parse them from the URL. */
export const TileQuerySchema = z.object({
  render: RenderKindSchema.default('truecolor'),
  size: z.coerce.number().int().min(64).max(1024).default(256),
});
