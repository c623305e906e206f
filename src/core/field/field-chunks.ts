import * as fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { atomicWriteInStore } from './atomic-write';
import { F16_TO_F32, float32ToFloat16 } from './float16';
import { chunkBounds, chunkFile, writeFieldAttrs } from './field-store';
import type { Field, RawChunk } from './field-types';

function chunkIndex(field: Field, cr: number, cc: number): number {
  const g = field.grid;
  if (
    !Number.isInteger(cr) ||
    !Number.isInteger(cc) ||
    cr < 0 ||
    cc < 0 ||
    cr >= g.chunkRows ||
    cc >= g.chunkCols
  ) {
    throw new AppError(
      'INVALID_INPUT',
      `${field.dir}: chunk (${cr}, ${cc}) is outside the ${g.chunkRows}x${g.chunkCols} chunk grid`,
    );
  }
  return cr * g.chunkCols + cc;
}

/** True once chunk (cr, cc) was written completely and recorded in the group attributes. */
export function isChunkComplete(field: Field, cr: number, cc: number): boolean {
  return field.complete[chunkIndex(field, cr, cc)] === 1;
}

/** Chunks still to write, row-major: what a resumed indexing job iterates over. */
export function missingChunks(field: Field): { cr: number; cc: number }[] {
  const out: { cr: number; cc: number }[] = [];
  for (let k = 0; k < field.complete.length; k++) {
    if (!field.complete[k])
      out.push({ cr: Math.floor(k / field.grid.chunkCols), cc: k % field.grid.chunkCols });
  }
  return out;
}

/**
 * L2-normalises each valid vector (float64 sums, result rounded to float32) and encodes the
 * chunk padded to [cs, cs, dim]. Invalid and padding patches are all zeros.
 * float16: round to nearest even. int8: symmetric per patch, scale = max|v| / 127 (float32),
 * q = round(v / scale) in [-127, 127]; dequantised value = float32(q * scale), exactly what
 * numpy's `q.astype(np.float32) * scale` gives.
 */
function encodeChunk(field: Field, h: number, w: number, data: Float32Array, valid: Uint8Array) {
  const { dim, chunkSize: cs, dtype } = field.meta;
  const unit = new Float32Array(cs * cs * dim);
  const validOut = new Uint8Array(cs * cs);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const src = (r * w + c) * dim;
      if (!valid[r * w + c]) continue;
      let ss = 0;
      for (let d = 0; d < dim; d++) ss += data[src + d] * data[src + d];
      if (!Number.isFinite(ss)) {
        throw new AppError(
          'INVALID_INPUT',
          `${field.dir}: patch (${r}, ${c}) of the chunk has a non-finite value`,
        );
      }
      const p = r * cs + c;
      validOut[p] = 1;
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let d = 0; d < dim; d++) unit[p * dim + d] = data[src + d] * inv;
    }
  }
  if (dtype === 'float16')
    return { emb: new Uint8Array(float32ToFloat16(unit).buffer), valid: validOut, scale: null };
  const q = new Int8Array(cs * cs * dim);
  const scale = new Float32Array(cs * cs);
  for (let p = 0; p < cs * cs; p++) {
    let m = 0;
    for (let d = 0; d < dim; d++) m = Math.max(m, Math.abs(unit[p * dim + d]));
    if (m === 0) continue;
    const s = Math.fround(m / 127);
    scale[p] = s;
    for (let d = 0; d < dim; d++)
      q[p * dim + d] = Math.max(-127, Math.min(127, Math.round(unit[p * dim + d] / s)));
  }
  return { emb: new Uint8Array(q.buffer), valid: validOut, scale: new Uint8Array(scale.buffer) };
}

/**
 * Writes one chunk and then marks it complete. Each file goes through temp + fsync + rename,
 * and the completion bit is set in the group zarr.json (also atomically) only after all of the
 * chunk's files are in place: a process killed at any point leaves the chunk either complete
 * or not counted, never a torn chunk counted as complete. Concurrent calls on one Field are safe.
 * @param data float32[h, w, dim], h x w = the chunk's extent clipped to the grid
 * @param valid uint8[h, w], 0 = nodata patch (stored as zeros, scored NaN)
 */
export async function writeChunk(
  field: Field,
  cr: number,
  cc: number,
  data: Float32Array,
  valid: Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  const k = chunkIndex(field, cr, cc);
  const b = chunkBounds(field.grid, cr, cc);
  const h = b.r1 - b.r0;
  const w = b.c1 - b.c0;
  const dim = field.meta.dim;
  if (data.length !== h * w * dim || valid.length !== h * w) {
    throw new AppError(
      'INVALID_INPUT',
      `${field.dir}: chunk (${cr}, ${cc}) needs data float32[${h}, ${w}, ${dim}] and valid uint8[${h}, ${w}], ` +
        `got ${data.length} and ${valid.length} values`,
    );
  }
  throwIfAborted(signal);
  const enc = encodeChunk(field, h, w, data, valid);
  await atomicWriteInStore(field.dir, chunkFile(field.dir, 'embeddings', cr, cc), enc.emb, signal);
  await atomicWriteInStore(field.dir, chunkFile(field.dir, 'valid', cr, cc), enc.valid, signal);
  if (enc.scale)
    await atomicWriteInStore(field.dir, chunkFile(field.dir, 'scale', cr, cc), enc.scale, signal);
  throwIfAborted(signal);
  // Serialise the read-modify-write of the attributes between concurrent writers.
  const run = field.attrsLock.tail.then(async () => {
    field.complete[k] = 1;
    await writeFieldAttrs(field);
  });
  field.attrsLock.tail = run.catch(() => {});
  await run;
}

async function readBytes(file: string, expected: number, signal?: AbortSignal): Promise<Uint8Array> {
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(file, { signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throwIfAborted(signal);
    throw new AppError(
      'INVALID_INPUT',
      `${file}: chunk marked complete but unreadable (${(err as Error).message})`,
    );
  }
  if (buf.length !== expected) {
    throw new AppError('INVALID_INPUT', `${file}: chunk has ${buf.length} bytes, expected ${expected}`);
  }
  // Typed views need aligned offsets; pooled small Buffers may not be.
  return buf.byteOffset % 4 === 0
    ? new Uint8Array(buf.buffer, buf.byteOffset, buf.length)
    : new Uint8Array(buf);
}

/**
 * Reads chunk (cr, cc) as stored (padded, not decoded): what the scoring kernel consumes.
 * Returns null for a chunk not complete yet (its patches have no data).
 */
export async function readChunkRaw(
  field: Field,
  cr: number,
  cc: number,
  signal?: AbortSignal,
): Promise<RawChunk | null> {
  if (!isChunkComplete(field, cr, cc)) return null;
  const { dim, chunkSize: cs, dtype } = field.meta;
  const b = chunkBounds(field.grid, cr, cc);
  const n = cs * cs;
  const [e, v, s] = await Promise.all([
    readBytes(chunkFile(field.dir, 'embeddings', cr, cc), n * dim * (dtype === 'float16' ? 2 : 1), signal),
    readBytes(chunkFile(field.dir, 'valid', cr, cc), n, signal),
    dtype === 'int8'
      ? readBytes(chunkFile(field.dir, 'scale', cr, cc), n * 4, signal)
      : Promise.resolve(null),
  ]);
  return {
    r0: b.r0,
    c0: b.c0,
    h: b.r1 - b.r0,
    w: b.c1 - b.c0,
    emb:
      dtype === 'float16'
        ? new Uint16Array(e.buffer, e.byteOffset, n * dim)
        : new Int8Array(e.buffer, e.byteOffset, n * dim),
    valid: v,
    scale: s ? new Float32Array(s.buffer, s.byteOffset, n) : null,
  };
}

/**
 * Reads chunk (cr, cc) decoded to float32, unpadded.
 * @returns data float32[h, w, dim] (unit vectors, zeros where invalid), valid uint8[h, w];
 *          null when the chunk is not complete
 */
export async function readChunk(
  field: Field,
  cr: number,
  cc: number,
  signal?: AbortSignal,
): Promise<{ h: number; w: number; data: Float32Array; valid: Uint8Array } | null> {
  const raw = await readChunkRaw(field, cr, cc, signal);
  if (!raw) return null;
  const { dim, chunkSize: cs } = field.meta;
  const { h, w, emb, scale } = raw;
  const data = new Float32Array(h * w * dim);
  const valid = new Uint8Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const p = r * cs + c;
      const o = (r * w + c) * dim;
      valid[r * w + c] = raw.valid[p];
      if (scale) {
        const s = scale[p];
        for (let d = 0; d < dim; d++) data[o + d] = emb[p * dim + d] * s; // stored into float32: one rounding
      } else {
        for (let d = 0; d < dim; d++) data[o + d] = F16_TO_F32[emb[p * dim + d]];
      }
    }
  }
  return { h, w, data, valid };
}

/** Total bytes of a field's chunk files (embeddings + valid + scale) when complete. */
export function fieldBytes(field: Field): number {
  const { dim, chunkSize: cs, dtype } = field.meta;
  const per = cs * cs * (dim * (dtype === 'float16' ? 2 : 1) + 1 + (dtype === 'int8' ? 4 : 0));
  return per * field.complete.length;
}
