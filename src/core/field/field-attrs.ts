import type { ChunkGrid, FieldMeta } from './field-types';

/** Version of the `graft_field` attribute block; bump on incompatible layout changes. */
export const FIELD_FORMAT_VERSION = 1;

/**
 * The group attributes as written to zarr.json (snake_case for Python users).
 * complete_chunks is a bitmap over the chunk grid, row-major, bit k of byte k>>3 is
 * (k & 7), LSB first; in numpy:
 *   np.unpackbits(np.frombuffer(base64.b64decode(d), np.uint8), bitorder='little')[:n].reshape(shape)
 */
export interface FieldAttrs {
  format_version: number;
  scene_id: string;
  pack: { id: string; version: string; sha256: string };
  crs: { epsg: number | null; proj4: string };
  geo_transform: number[];
  patch_size_px: number;
  patch_size_m: number;
  source_gsd_m: number;
  pack_gsd_m: number;
  shape: [number, number, number];
  chunk_size: number;
  dtype: string;
  normalized: true;
  quantization: null | { scheme: 'int8-symmetric-per-patch'; scale_array: 'scale'; dequantize: string };
  created: string;
  complete_chunks: { encoding: 'bitmap-lsb0-base64'; shape: [number, number]; count: number; data: string };
}

export function encodeBitmap(flags: Uint8Array): string {
  const bytes = new Uint8Array(Math.ceil(flags.length / 8));
  for (let k = 0; k < flags.length; k++) if (flags[k]) bytes[k >> 3] |= 1 << (k & 7);
  return Buffer.from(bytes).toString('base64');
}

export function decodeBitmap(data: string, n: number): Uint8Array {
  const bytes = Buffer.from(data, 'base64');
  const flags = new Uint8Array(n);
  for (let k = 0; k < n; k++) flags[k] = (bytes[k >> 3] >> (k & 7)) & 1;
  return flags;
}

export function metaToAttrs(meta: FieldMeta, grid: ChunkGrid, complete: Uint8Array): FieldAttrs {
  let count = 0;
  for (const f of complete) count += f;
  return {
    format_version: FIELD_FORMAT_VERSION,
    scene_id: meta.sceneId,
    pack: { ...meta.pack },
    crs: { ...meta.crs },
    geo_transform: [...meta.geoTransform],
    patch_size_px: meta.patchSizePx,
    patch_size_m: meta.patchSizeM,
    source_gsd_m: meta.sourceGsdM,
    pack_gsd_m: meta.packGsdM,
    shape: [meta.rows, meta.cols, meta.dim],
    chunk_size: meta.chunkSize,
    dtype: meta.dtype,
    normalized: true,
    quantization:
      meta.dtype === 'int8'
        ? {
            scheme: 'int8-symmetric-per-patch',
            scale_array: 'scale',
            dequantize: 'embeddings.astype(float32) * scale[..., None]',
          }
        : null,
    created: meta.createdAt,
    complete_chunks: {
      encoding: 'bitmap-lsb0-base64',
      shape: [grid.chunkRows, grid.chunkCols],
      count,
      data: encodeBitmap(complete),
    },
  };
}

/** Parses and checks the attribute block; returns null fields as a list of problems. */
export function attrsToMeta(a: Partial<FieldAttrs>): { meta: FieldMeta; bitmap: string } | string {
  const missing = (
    [
      'format_version',
      'scene_id',
      'pack',
      'crs',
      'geo_transform',
      'patch_size_px',
      'patch_size_m',
      'source_gsd_m',
      'pack_gsd_m',
      'shape',
      'chunk_size',
      'dtype',
      'created',
      'complete_chunks',
    ] as const
  ).filter((k) => a[k] === undefined);
  if (missing.length) return `missing attributes ${missing.join(', ')}`;
  if (a.format_version !== FIELD_FORMAT_VERSION)
    return `format_version ${a.format_version} is not ${FIELD_FORMAT_VERSION}`;
  if (a.dtype !== 'float16' && a.dtype !== 'int8') return `dtype ${a.dtype} is not float16 or int8`;
  const gt = a.geo_transform!;
  if (gt.length !== 6) return 'geo_transform does not have 6 numbers';
  const [rows, cols, dim] = a.shape!;
  return {
    meta: {
      sceneId: a.scene_id!,
      pack: a.pack!,
      crs: a.crs!,
      geoTransform: [gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]],
      patchSizePx: a.patch_size_px!,
      patchSizeM: a.patch_size_m!,
      sourceGsdM: a.source_gsd_m!,
      packGsdM: a.pack_gsd_m!,
      rows,
      cols,
      dim,
      dtype: a.dtype,
      chunkSize: a.chunk_size!,
      createdAt: a.created!,
    },
    bitmap: a.complete_chunks!.data,
  };
}
