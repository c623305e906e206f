import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { ONNX_ELEM_TYPES, onnxType } from './onnx-proto';

/** One graph input or output as the ONNX file declares it. Symbolic dims are strings, unknown ones '?'. */
export interface OnnxValueInfo {
  name: string;
  type: string; // 'float32' | 'float16' | 'int64' | … (see ONNX_ELEM_TYPES)
  shape: (number | string)[];
}

export interface OnnxSignature {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  /** Real inputs: graph inputs that are not initializers (IR < 4 lists weights as inputs too). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
}

const CHUNK = 1 << 16;

/** Positional reads through a small cache so walking the protobuf costs a few syscalls. */
class FileCursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  constructor(
    private readonly fh: fs.FileHandle,
    readonly size: number,
  ) {}

  async bytes(pos: number, len: number): Promise<Buffer> {
    if (pos < this.bufStart || pos + len > this.bufStart + this.buf.length) {
      const want = Math.max(len, CHUNK);
      const b = Buffer.alloc(Math.min(want, this.size - pos));
      const { bytesRead } = await this.fh.read(b, 0, b.length, pos);
      this.buf = b.subarray(0, bytesRead);
      this.bufStart = pos;
    }
    return this.buf.subarray(pos - this.bufStart, pos - this.bufStart + len);
  }

  /** Reads a base-128 varint at pos; returns [value, next position]. Values above 2^53 lose precision. */
  async varint(pos: number, end: number): Promise<[number, number]> {
    const b = await this.bytes(pos, Math.min(10, end - pos));
    let v = 0;
    let mul = 1;
    for (let i = 0; i < b.length; i++) {
      v += (b[i] & 0x7f) * mul;
      if ((b[i] & 0x80) === 0) return [v, pos + i + 1];
      mul *= 128;
    }
    throw new Error(`truncated varint at byte ${pos}`);
  }
}

interface Field {
  field: number;
  wire: number;
  /** For wire type 2: the payload's [start, end); for varints: the value. */
  start: number;
  end: number;
  value: number;
}

/** Walks the fields of one message in [pos, end) without decoding payloads (weights are skipped). */
async function* fields(c: FileCursor, pos: number, end: number): AsyncGenerator<Field> {
  while (pos < end) {
    const [tag, p1] = await c.varint(pos, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new Error(`invalid field number 0 at byte ${pos}`);
    let next: number;
    let value = 0;
    let start = p1;
    if (wire === 0) {
      [value, next] = await c.varint(p1, end);
    } else if (wire === 1) next = p1 + 8;
    else if (wire === 5) next = p1 + 4;
    else if (wire === 2) {
      const [len, p2] = await c.varint(p1, end);
      start = p2;
      next = p2 + len;
    } else throw new Error(`unsupported wire type ${wire} at byte ${pos}`);
    if (next > end)
      throw new Error(`field ${field} at byte ${pos} runs past the end (${next} > ${end}): truncated file`);
    yield { field, wire, start, end: next, value };
    pos = next;
  }
}

function toNum(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x && typeof (x as { toNumber?: () => number }).toNumber === 'function')
    return (x as { toNumber(): number }).toNumber();
  return Number(x);
}

interface DecodedValueInfo {
  name?: string;
  type?: {
    tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: unknown; dimParam?: string }[] } };
  };
}

function valueInfo(msg: DecodedValueInfo): OnnxValueInfo {
  const tt = msg.type?.tensorType;
  return {
    name: msg.name ?? '',
    type: tt ? (ONNX_ELEM_TYPES[tt.elemType ?? 0] ?? `onnx-type-${tt.elemType}`) : 'non-tensor',
    shape: (tt?.shape?.dim ?? []).map((d) =>
      d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNum(d.dimValue) : '?',
    ),
  };
}

/**
 * Reads an ONNX file's declared inputs/outputs (names, element types, shapes) by walking the
 * protobuf without loading weights, so a 2 GB SAM encoder is checked in milliseconds.
 * Throws AppError('PACK_INVALID', "corrupt .onnx: <file>: <reason>") for anything unparsable.
 */
export async function readOnnxSignature(file: string, signal?: AbortSignal): Promise<OnnxSignature> {
  throwIfAborted(signal);
  const name = path.basename(file);
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw new AppError('NOT_FOUND', `${name}: cannot open (${(e as Error).message})`);
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new Error('empty file');
    const c = new FileCursor(fh, size);
    const ValueInfo = onnxType('ValueInfoProto');
    const OpsetId = onnxType('OperatorSetIdProto');
    let irVersion = 0;
    const opsets: OnnxSignature['opsets'] = [];
    const inputs: OnnxValueInfo[] = [];
    const outputs: OnnxValueInfo[] = [];
    const initNames = new Set<string>();
    let sawGraph = false;
    let nodeCount = 0;
    for await (const f of fields(c, 0, size)) {
      if (f.field === 1 && f.wire === 0) irVersion = f.value;
      else if (f.field === 8 && f.wire === 2) {
        const m = OpsetId.toObject(OpsetId.decode(await c.bytes(f.start, f.end - f.start))) as {
          domain?: string;
          version?: unknown;
        };
        opsets.push({ domain: m.domain ?? '', version: toNum(m.version ?? 0) });
      } else if (f.field === 7 && f.wire === 2) {
        sawGraph = true;
        for await (const g of fields(c, f.start, f.end)) {
          if (g.wire !== 2) continue;
          if (g.field === 1) nodeCount++;
          else if (g.field === 11 || g.field === 12) {
            const vi = valueInfo(
              ValueInfo.decode(await c.bytes(g.start, g.end - g.start)) as DecodedValueInfo,
            );
            (g.field === 11 ? inputs : outputs).push(vi);
          } else if (g.field === 5) {
            for await (const t of fields(c, g.start, g.end)) {
              if (t.field === 8 && t.wire === 2)
                initNames.add((await c.bytes(t.start, t.end - t.start)).toString('utf8'));
            }
          }
        }
        throwIfAborted(signal);
      }
    }
    if (!sawGraph) throw new Error('no graph in the file (not an ONNX model?)');
    if (irVersion === 0) throw new Error('no ir_version (not an ONNX model?)');
    if (outputs.length === 0) throw new Error('the graph declares no outputs');
    return { irVersion, opsets, inputs: inputs.filter((i) => !initNames.has(i.name)), outputs, nodeCount };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('PACK_INVALID', `corrupt .onnx: ${name}: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
}
