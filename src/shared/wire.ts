/**
 * Binary framing for values that carry typed arrays (scores, embeddings, masks), so they cross
 * HTTP as raw bytes rather than JSON number lists. Layout (little-endian):
 *   "GRW1" | u32 headerBytes | header JSON (utf-8) | zero padding to 8 | blobs, each 8-aligned
 * The header is the value with every ArrayBufferView replaced by {"$blob": i, "type", "offset", "length"}.
 * Electron IPC and the engine's fork channel use structured clone instead and need none of this.
 */
const MAGIC = 0x31575247; // "GRW1"
const TYPES = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
} as const;
type TypeName = keyof typeof TYPES;

interface BlobRef {
  $blob: number;
  type: TypeName;
  offset: number;
  length: number;
}

const align8 = (n: number) => (n + 7) & ~7;

export function hasBinary(value: unknown): boolean {
  if (ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (value && typeof value === 'object') return Object.values(value).some(hasBinary);
  return false;
}

export function encodeWire(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const type = v.constructor.name as TypeName;
      if (!(type in TYPES)) throw new Error(`wire: unsupported array type ${type}`);
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const ref: BlobRef = { $blob: blobs.length, type, offset, length: v.byteLength };
      blobs.push(bytes);
      offset = align8(offset + v.byteLength);
      return ref;
    }
    return v;
  });
  const headerBytes = new TextEncoder().encode(header);
  const start = align8(8 + headerBytes.length);
  const out = new Uint8Array(start + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let o = start;
  for (const b of blobs) {
    out.set(b, o);
    o = align8(o + b.byteLength);
  }
  return out;
}

export function decodeWire(buf: Uint8Array): unknown {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 8 || dv.getUint32(0, true) !== MAGIC) throw new Error('wire: not a GRW1 frame');
  const headerLen = dv.getUint32(4, true);
  const header = new TextDecoder().decode(buf.subarray(8, 8 + headerLen));
  const start = align8(8 + headerLen);
  return JSON.parse(header, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$blob' in v) {
      const ref = v as BlobRef;
      const Ctor = TYPES[ref.type];
      // Copy into a fresh, aligned buffer: the frame's offsets need not suit every element size.
      const bytes = buf.slice(start + ref.offset, start + ref.offset + ref.length);
      return new Ctor(bytes.buffer, 0, ref.length / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
