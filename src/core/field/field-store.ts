import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zarr from 'zarrita';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { AtomicFileSystemStore, atomicWriteInStore, removeStaleTemps } from './atomic-write';
import { attrsToMeta, decodeBitmap, metaToAttrs, type FieldAttrs } from './field-attrs';
import type { ChunkGrid, Field, FieldDtype, FieldMeta, FieldMetaInput, GridWindow } from './field-types';

/** Chunks are read and written as raw little-endian bytes; refuse to mis-read them elsewhere. */
function assertLittleEndian(): void {
  if (os.endianness() !== 'LE')
    throw new AppError('UNSUPPORTED', 'embedding fields need a little-endian CPU');
}

/** The only codec chain written (and read without zarrita): plain little-endian bytes. */
const BYTES_LE = [{ name: 'bytes', configuration: { endian: 'little' } }];

/** Chunk layout of a grid: chunks of `chunkSize` patches, the last row/column partial. */
export function chunkGrid(field: Pick<Field, 'meta'> | FieldMeta): ChunkGrid {
  const m = 'meta' in field ? field.meta : field;
  return {
    rows: m.rows,
    cols: m.cols,
    chunkSize: m.chunkSize,
    chunkRows: Math.ceil(m.rows / m.chunkSize),
    chunkCols: Math.ceil(m.cols / m.chunkSize),
  };
}

/** The cells covered by chunk (cr, cc), clipped to the grid. */
export function chunkBounds(grid: ChunkGrid, cr: number, cc: number): GridWindow {
  const s = grid.chunkSize;
  return {
    r0: cr * s,
    c0: cc * s,
    r1: Math.min(grid.rows, (cr + 1) * s),
    c1: Math.min(grid.cols, (cc + 1) * s),
  };
}

/** File of one chunk of one array (chunk key encoding "default", separator "/"). */
export function chunkFile(
  dir: string,
  array: 'embeddings' | 'valid' | 'scale',
  cr: number,
  cc: number,
): string {
  return array === 'embeddings'
    ? path.join(dir, array, 'c', String(cr), String(cc), '0')
    : path.join(dir, array, 'c', String(cr), String(cc));
}

function checkMeta(m: FieldMeta): void {
  const bad: string[] = [];
  for (const k of ['rows', 'cols', 'dim', 'chunkSize', 'patchSizePx'] as const) {
    if (!Number.isInteger(m[k]) || m[k] <= 0) bad.push(`${k}=${m[k]} is not a positive integer`);
  }
  for (const k of ['patchSizeM', 'sourceGsdM', 'packGsdM'] as const) {
    if (!(m[k] > 0)) bad.push(`${k}=${m[k]} is not positive`);
  }
  if (m.dtype !== 'float16' && m.dtype !== 'int8') bad.push(`dtype ${m.dtype} is not float16 or int8`);
  if (m.geoTransform.length !== 6 || m.geoTransform.some((v) => !Number.isFinite(v))) {
    bad.push('geoTransform is not 6 finite numbers');
  }
  if (bad.length) throw new AppError('INVALID_INPUT', `field ${m.sceneId}: ${bad.join('; ')}`);
}

/** Zarr v3 array metadata, as zarrita writes it (used for float16, which zarrita cannot instantiate on Node 20). */
function arrayJson(shape: number[], chunkShape: number[], dtype: string, dims: string[]): object {
  return {
    zarr_format: 3,
    node_type: 'array',
    shape,
    data_type: dtype,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: chunkShape } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    codecs: BYTES_LE,
    fill_value: 0,
    dimension_names: dims,
    attributes: {},
  };
}

/** Rewrites the group zarr.json atomically with the current completion map. */
export async function writeFieldAttrs(field: Field, signal?: AbortSignal): Promise<void> {
  const body = {
    zarr_format: 3,
    node_type: 'group',
    attributes: { graft_field: metaToAttrs(field.meta, field.grid, field.complete) },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(body, null, 2));
  await atomicWriteInStore(field.dir, path.join(field.dir, 'zarr.json'), bytes, signal);
}

/**
 * Creates an empty embedding field (a Zarr v3 group) in `dir`, which must not hold one yet.
 * Arrays are written first and the group's zarr.json last, so a half-created field is not
 * openable (openField says so) and the caller simply creates it again.
 */
export async function createField(dir: string, metaIn: FieldMetaInput, signal?: AbortSignal): Promise<Field> {
  assertLittleEndian();
  throwIfAborted(signal);
  const meta: FieldMeta = {
    ...metaIn,
    dtype: metaIn.dtype ?? 'float16',
    chunkSize: metaIn.chunkSize ?? 64,
    createdAt: metaIn.createdAt ?? new Date().toISOString(),
  };
  checkMeta(meta);
  if (fs.existsSync(path.join(dir, 'zarr.json'))) {
    throw new AppError(
      'INVALID_INPUT',
      `${dir}: an embedding field already exists there (open it to resume)`,
    );
  }
  const store = new AtomicFileSystemStore(dir);
  const root = zarr.root(store);
  const { rows, cols, dim, chunkSize: cs } = meta;
  await zarr.create(root.resolve('valid'), {
    shape: [rows, cols],
    chunkShape: [cs, cs],
    dtype: 'uint8',
    fillValue: 0,
    codecs: BYTES_LE,
    dimensionNames: ['row', 'col'],
  });
  if (meta.dtype === 'int8') {
    await zarr.create(root.resolve('embeddings'), {
      shape: [rows, cols, dim],
      chunkShape: [cs, cs, dim],
      dtype: 'int8',
      fillValue: 0,
      codecs: BYTES_LE,
      dimensionNames: ['row', 'col', 'dim'],
    });
    await zarr.create(root.resolve('scale'), {
      shape: [rows, cols],
      chunkShape: [cs, cs],
      dtype: 'float32',
      fillValue: 0,
      codecs: BYTES_LE,
      dimensionNames: ['row', 'col'],
    });
  } else {
    const json = arrayJson([rows, cols, dim], [cs, cs, dim], 'float16', ['row', 'col', 'dim']);
    await store.set('/embeddings/zarr.json', new TextEncoder().encode(JSON.stringify(json, null, 2)));
  }
  throwIfAborted(signal);
  const field = makeField(dir, meta, new Uint8Array(chunkCount(meta)));
  await writeFieldAttrs(field, signal);
  return field;
}

function chunkCount(m: FieldMeta): number {
  return Math.ceil(m.rows / m.chunkSize) * Math.ceil(m.cols / m.chunkSize);
}

function makeField(dir: string, meta: FieldMeta, complete: Uint8Array): Field {
  return { dir, meta, grid: chunkGrid(meta), complete, attrsLock: { tail: Promise.resolve() } };
}

async function readArrayJson(dir: string, name: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await fs.promises.readFile(path.join(dir, name, 'zarr.json'), 'utf8'));
  } catch (err) {
    throw new AppError(
      'INVALID_INPUT',
      `${dir}: array ${name} is missing or unreadable (${(err as Error).message})`,
    );
  }
}

function checkArray(
  dir: string,
  name: string,
  j: Record<string, unknown>,
  shape: number[],
  chunk: number[],
  dtype: string,
): void {
  const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const problems: string[] = [];
  if (j.zarr_format !== 3 || j.node_type !== 'array') problems.push('not a Zarr v3 array');
  if (j.data_type !== dtype) problems.push(`data_type ${String(j.data_type)} is not ${dtype}`);
  if (!eq(j.shape, shape)) problems.push(`shape ${JSON.stringify(j.shape)} is not ${JSON.stringify(shape)}`);
  const cg = j.chunk_grid as { configuration?: { chunk_shape?: unknown } } | undefined;
  if (!eq(cg?.configuration?.chunk_shape, chunk))
    problems.push(`chunk shape is not ${JSON.stringify(chunk)}`);
  const codecs = j.codecs as { name: string; configuration?: { endian?: string } }[] | undefined;
  const plain =
    codecs?.length === 1 &&
    codecs[0].name === 'bytes' &&
    (codecs[0].configuration?.endian ?? 'little') === 'little';
  if (!plain)
    problems.push(
      `codecs ${JSON.stringify(codecs)} are not plain little-endian bytes (rewrite without a compressor)`,
    );
  const cke = j.chunk_key_encoding as { name?: string; configuration?: { separator?: string } } | undefined;
  if (cke?.name !== 'default' || (cke.configuration?.separator ?? '/') !== '/')
    problems.push('chunk key encoding is not default "/"');
  if (problems.length) throw new AppError('UNSUPPORTED', `${dir}/${name}: ${problems.join('; ')}`);
}

/**
 * Opens an embedding field, checks its arrays against the group's attributes, and drops temp
 * files a killed writer left. The completion map says which chunks can be trusted; chunks
 * written but not yet marked complete are treated as absent and are rewritten on resume.
 */
export async function openField(dir: string, signal?: AbortSignal): Promise<Field> {
  assertLittleEndian();
  throwIfAborted(signal);
  if (!fs.existsSync(path.join(dir, 'zarr.json'))) {
    throw new AppError('NOT_FOUND', `${dir}: no embedding field (zarr.json missing)`);
  }
  const store = new AtomicFileSystemStore(dir);
  let attrs: Partial<FieldAttrs> | undefined;
  try {
    const group = await zarr.open(zarr.root(store), { kind: 'group' });
    attrs = (group.attrs as { graft_field?: Partial<FieldAttrs> }).graft_field;
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${dir}/zarr.json: not a Zarr v3 group (${(err as Error).message})`);
  }
  if (!attrs)
    throw new AppError(
      'INVALID_INPUT',
      `${dir}/zarr.json: no graft_field attributes (not an embedding field)`,
    );
  const parsed = attrsToMeta(attrs);
  if (typeof parsed === 'string') throw new AppError('INVALID_INPUT', `${dir}/zarr.json: ${parsed}`);
  const { meta, bitmap } = parsed;
  checkMeta(meta);
  const { rows, cols, dim, chunkSize: cs } = meta;
  const dtype: FieldDtype = meta.dtype;
  checkArray(
    dir,
    'embeddings',
    await readArrayJson(dir, 'embeddings'),
    [rows, cols, dim],
    [cs, cs, dim],
    dtype,
  );
  checkArray(dir, 'valid', await readArrayJson(dir, 'valid'), [rows, cols], [cs, cs], 'uint8');
  if (dtype === 'int8')
    checkArray(dir, 'scale', await readArrayJson(dir, 'scale'), [rows, cols], [cs, cs], 'float32');
  await removeStaleTemps(dir);
  return makeField(dir, meta, decodeBitmap(bitmap, chunkCount(meta)));
}
