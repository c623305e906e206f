/**
 * Runs a fixture pack's ONNX graphs in onnxruntime-node on the PyTorch golden inputs and
 * measures the largest absolute difference from the PyTorch golden outputs.
 *
 * CLI: `node --import tsx tests/export/golden-runner.ts models/fixtures/<id> [...]` prints a table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

export interface ArrayRef {
  file: string;
  dtype: 'uint8' | 'float32' | 'float16' | 'int64';
  shape: number[];
}

export interface GoldenCase {
  role: string;
  raw: ArrayRef | null;
  note?: string;
  text?: string | string[];
  pad?: string;
  inputs: Record<string, ArrayRef>;
  outputs: Record<string, ArrayRef>;
  tolerance: { max_abs: number };
}

export interface CaseResult {
  index: number;
  role: string;
  label: string;
  tolerance: number;
  /** output name -> max |ORT - PyTorch| */
  maxAbs: Record<string, number>;
}

/** IEEE 754 binary16 bits -> number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Reads a golden raw little-endian array into the typed array ORT expects for its dtype. */
export function readArray(
  dir: string,
  ref: ArrayRef,
): Uint8Array | Float32Array | Uint16Array | BigInt64Array {
  const buf = fs.readFileSync(path.join(dir, ref.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  switch (ref.dtype) {
    case 'uint8':
      return new Uint8Array(ab);
    case 'float32':
      return new Float32Array(ab);
    case 'float16':
      return new Uint16Array(ab);
    case 'int64':
      return new BigInt64Array(ab);
  }
}

function toTensor(dir: string, ref: ArrayRef): ort.Tensor {
  const data = readArray(dir, ref);
  if (ref.dtype === 'uint8') return new ort.Tensor('uint8', data as Uint8Array, ref.shape);
  if (ref.dtype === 'float16') return new ort.Tensor('float16', data as Uint16Array, ref.shape);
  if (ref.dtype === 'int64') return new ort.Tensor('int64', data as BigInt64Array, ref.shape);
  return new ort.Tensor('float32', data as Float32Array, ref.shape);
}

function asNumbers(data: unknown, half: boolean): ArrayLike<number> {
  if (!half) return data as Float32Array;
  const u16 = data as Uint16Array;
  const out = new Float32Array(u16.length);
  for (let i = 0; i < u16.length; i++) out[i] = halfToFloat(u16[i]);
  return out;
}

/** Runs every golden case of the pack in `packDir`; sessions are created once per role. */
export async function runPackGoldens(packDir: string): Promise<CaseResult[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
  const gdir = path.join(packDir, path.dirname(manifest.goldens));
  const goldens = JSON.parse(fs.readFileSync(path.join(packDir, manifest.goldens), 'utf8')) as {
    cases: GoldenCase[];
  };
  const sessions = new Map<string, ort.InferenceSession>();
  const results: CaseResult[] = [];
  try {
    for (const [index, c] of goldens.cases.entries()) {
      let session = sessions.get(c.role);
      if (!session) {
        const file = path.join(packDir, manifest.roles[c.role].file);
        session = await ort.InferenceSession.create(file, { logSeverityLevel: 3 });
        sessions.set(c.role, session);
      }
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, ref] of Object.entries(c.inputs)) feeds[name] = toTensor(gdir, ref);
      const out = await session.run(feeds);
      const maxAbs: Record<string, number> = {};
      for (const [name, ref] of Object.entries(c.outputs)) {
        const got = out[name];
        if (!got) throw new Error(`${manifest.id} case ${index}: graph has no output ${name}`);
        if (got.dims.join(',') !== ref.shape.join(',')) {
          throw new Error(
            `${manifest.id} case ${index}: ${name} shape [${got.dims}] != golden [${ref.shape}]`,
          );
        }
        const want = asNumbers(readArray(gdir, ref), ref.dtype === 'float16');
        const have = asNumbers(got.data, got.type === 'float16');
        let m = 0;
        for (let i = 0; i < want.length; i++) {
          const d = Math.abs(have[i] - want[i]);
          if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
        }
        maxAbs[name] = m;
      }
      const label =
        c.note ??
        (typeof c.text === 'string' ? `"${c.text}" pad=${c.pad}` : c.raw ? `raw ${c.raw.file}` : '');
      results.push({ index, role: c.role, label, tolerance: c.tolerance.max_abs, maxAbs });
    }
  } finally {
    for (const s of sessions.values()) await s.release();
  }
  return results;
}

async function cli(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (const r of await runPackGoldens(dir)) {
      const diffs = Object.entries(r.maxAbs)
        .map(([k, v]) => `${k}=${v.toExponential(2)}`)
        .join(' ');
      console.log(`${path.basename(dir)}\t#${r.index}\t${r.role}\ttol=${r.tolerance}\t${diffs}\t${r.label}`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await cli(process.argv.slice(2));
}
