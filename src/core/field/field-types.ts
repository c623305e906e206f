/**
 * Types of an embedding field: the patch-grid vectors of one (scene, model pack), stored as a
 * Zarr v3 group. Layout (all arrays C order, little endian, no compressor, chunk key encoding
 * "default" with "/"):
 *
 *   <dir>/zarr.json                 group; attributes.graft_field = FieldAttrs (georeferencing,
 *                                   provenance, complete_chunks bitmap)
 *   <dir>/embeddings/zarr.json      float16 | int8 [rows, cols, dim], chunks [cs, cs, dim]
 *   <dir>/embeddings/c/<i>/<j>/0    one chunk: cs*cs*dim values (edge chunks padded with 0)
 *   <dir>/valid/…                   uint8 [rows, cols], chunks [cs, cs]: 1 = patch has data
 *   <dir>/scale/…                   float32 [rows, cols] (int8 only): per-patch scale
 *
 * Vectors are L2-normalised at write time (in float64, before quantisation), so a score
 * field · q with a unit q is the cosine similarity (up to the storage rounding).
 * No compressor: float16 embeddings compress by only a few percent with zstd/gzip, and the
 * scoring path is bound by bytes read and decoded, so raw chunks are faster end to end.
 */

export type FieldDtype = 'float16' | 'int8';

/** GDAL order: [originX, patchWidth, rotX, originY, rotY, patchHeight] in scene CRS units. */
export type GeoTransform = [number, number, number, number, number, number];

export interface FieldMeta {
  sceneId: string;
  pack: { id: string; version: string; sha256: string };
  /** The scene CRS: EPSG code when it has one, and always a proj4 string. */
  crs: { epsg: number | null; proj4: string };
  /** Affine transform of the PATCH grid (one grid cell = one patch) in the scene CRS. */
  geoTransform: GeoTransform;
  /** Patch side in source pixels (16 for GRAFT). */
  patchSizePx: number;
  /** Patch side on the ground, metres. */
  patchSizeM: number;
  /** Ground sample distance of the source imagery and of the pack's training data, metres. */
  sourceGsdM: number;
  packGsdM: number;
  rows: number;
  cols: number;
  dim: number;
  dtype: FieldDtype;
  /** Chunk side in patches (chunks are [chunkSize, chunkSize, dim]). */
  chunkSize: number;
  /** ISO 8601 creation time. */
  createdAt: string;
}

/** What `createField` needs; dtype defaults to float16, chunkSize to 64, createdAt to now. */
export type FieldMetaInput = Omit<FieldMeta, 'dtype' | 'chunkSize' | 'createdAt'> &
  Partial<Pick<FieldMeta, 'dtype' | 'chunkSize' | 'createdAt'>>;

/** The chunk layout of a field's patch grid. */
export interface ChunkGrid {
  rows: number;
  cols: number;
  chunkSize: number;
  /** Number of chunks down and across. */
  chunkRows: number;
  chunkCols: number;
}

/** A rectangle of grid cells, half-open: rows [r0, r1), cols [c0, c1). */
export interface GridWindow {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** An open field. Mutable state (the completion map) is owned by the field-chunks module. */
export interface Field {
  dir: string;
  meta: FieldMeta;
  grid: ChunkGrid;
  /** One byte per chunk, row-major [chunkRows, chunkCols]: 1 once the chunk is durable. */
  complete: Uint8Array;
  /** Serialises updates of the group attributes (read-modify-write of complete_chunks). */
  attrsLock: { tail: Promise<void> };
}

/** One chunk as stored: padded to [chunkSize, chunkSize, …]; h, w are the real extent. */
export interface RawChunk {
  /** Grid cell of the chunk's top-left patch. */
  r0: number;
  c0: number;
  h: number;
  w: number;
  /** float16 bits uint16[cs*cs*dim] or int8[cs*cs*dim], row-major [cs, cs, dim]. */
  emb: Uint16Array | Int8Array;
  /** uint8[cs*cs] */
  valid: Uint8Array;
  /** float32[cs*cs] per-patch scale (int8 fields), null for float16. */
  scale: Float32Array | null;
}
