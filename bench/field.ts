/**
 * Embedding-field scoring benchmark: query latency and throughput of scoreField (field · q over
 * float16 chunks, D = 512) for synthetic fields of 10k, 100k, 1M and 10M patches, against a plain
 * memory copy (Buffer.copy) of the same bytes measured in the same run.
 *
 * - 10k / 100k / 1M: real Zarr fields on disk (bench/.data/field-*, built once with writeChunk
 *   and reused; 1M is 1 GiB), queried end to end with scoreField (file reads from the warm page
 *   cache + decode + dot). Also the kernel alone over the same chunks held in memory.
 * - 10M (10 GiB on disk): by default measured from memory-resident chunks in a loop: 16 distinct
 *   64×64×512 chunks (64 MiB, well past the CPU caches) cycled over the 10M-patch grid, so the
 *   kernel and the copy both stream from DRAM. FIELD_BENCH_10M_DISK=1 builds and streams the real
 *   10 GiB field instead (minutes to build; needs 10 GiB free under bench/.data).
 * Peak RSS is printed. Default run: well under 3 minutes on 2 cores once bench/.data is built.
 *
 * Run: node --import tsx bench/field.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createField, openField } from '../src/core/field/field-store';
import { missingChunks, readChunkRaw, writeChunk } from '../src/core/field/field-chunks';
import { scoreField } from '../src/core/field/score-field';
import { scoreChunk } from '../src/core/field/score-kernel';
import { float32ToFloat16 } from '../src/core/field/float16';
import type { Field } from '../src/core/field/field-types';
import { medianMs, printTable, type BenchRow } from './table';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIM = 512;
const CS = 64;

function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** A pool of distinct random chunks float32[64*64*512] (normalised by writeChunk). */
function chunkPool(n: number): Float32Array[] {
  const r = rand(42);
  return Array.from({ length: n }, () => new Float32Array(CS * CS * DIM).map(() => r()));
}

function unitQuery(): Float32Array {
  const r = rand(7);
  const q = new Float32Array(DIM).map(() => r());
  const n = Math.hypot(...q);
  return q.map((v) => v / n);
}

/** Square-ish grid of about n patches. */
function gridFor(n: number): { rows: number; cols: number } {
  const cols = Math.ceil(Math.sqrt(n) / CS) * CS;
  return { rows: Math.ceil(n / cols), cols };
}

async function buildField(n: number, pool: Float32Array[]): Promise<Field> {
  const dir = path.join(here, '.data', `field-${n}`);
  const { rows, cols } = gridFor(n);
  let f: Field;
  try {
    f = await openField(dir);
    if (f.meta.rows !== rows || f.meta.cols !== cols) throw new Error('stale');
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    f = await createField(dir, {
      sceneId: `bench-${n}`,
      pack: { id: 'bench', version: '0', sha256: '0'.repeat(64) },
      crs: { epsg: 32610, proj4: '+proj=utm +zone=10 +datum=WGS84 +units=m +no_defs' },
      geoTransform: [500000, 9.6, 0, 4200000, 0, -9.6],
      patchSizePx: 16,
      patchSizeM: 9.6,
      sourceGsdM: 0.6,
      packGsdM: 0.6,
      rows,
      cols,
      dim: DIM,
      chunkSize: CS,
    });
  }
  const todo = missingChunks(f);
  if (todo.length) console.error(`[field bench] writing ${todo.length} chunks of ${dir} (resumable)`);
  for (const { cr, cc } of todo) {
    const h = Math.min(CS, rows - cr * CS);
    const w = Math.min(CS, cols - cc * CS);
    const src = pool[(cr * 7 + cc) % pool.length];
    await writeChunk(
      f,
      cr,
      cc,
      h === CS && w === CS ? src : src.subarray(0, h * w * DIM),
      new Uint8Array(h * w).fill(1),
    );
  }
  return f;
}

const gb = (bytes: number, ms: number) => bytes / 1e9 / (ms / 1000);

/** Kernel over in-memory chunks covering `rows x cols`, cycling through `chunks`. */
function kernelPass(
  chunks: Uint16Array[],
  rows: number,
  cols: number,
  q: Float32Array,
  out: Float32Array,
): void {
  const valid = new Uint8Array(CS * CS).fill(1);
  let k = 0;
  for (let r0 = 0; r0 < rows; r0 += CS) {
    for (let c0 = 0; c0 < cols; c0 += CS) {
      scoreChunk({
        emb: chunks[k++ % chunks.length],
        valid,
        scale: null,
        cs: CS,
        dim: DIM,
        q,
        r0: 0,
        r1: Math.min(CS, rows - r0),
        c0: 0,
        c1: Math.min(CS, cols - c0),
        gr0: r0,
        gc0: c0,
        cols,
        roi: null,
        out,
      });
    }
  }
}

/** The reference: Buffer.copy of every chunk's bytes (same count as the kernel reads). */
function copyPass(chunks: Uint16Array[], nChunks: number, dst: Buffer): void {
  for (let k = 0; k < nChunks; k++) {
    const c = chunks[k % chunks.length];
    Buffer.from(c.buffer, c.byteOffset, c.byteLength).copy(dst);
  }
}

export async function runFieldBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const pool = chunkPool(4);
  const q = unitQuery();
  const memPool = Array.from({ length: 16 }, (_, i) =>
    float32ToFloat16(i < 4 ? pool[i] : chunkPool(1)[0].map((v) => v * 0.05)),
  );
  const dst = Buffer.alloc(CS * CS * DIM * 2);
  const sizes = [10_000, 100_000, 1_000_000, 10_000_000];
  const disk10M = process.env.FIELD_BENCH_10M_DISK === '1';
  for (const n of sizes) {
    const { rows: R, cols: C } = gridFor(n);
    const nChunks = Math.ceil(R / CS) * Math.ceil(C / CS);
    const bytes = R * C * DIM * 2;
    const reps = n >= 1_000_000 ? 1 : 5;
    const copyMs = await medianMs(reps, () => copyPass(memPool, nChunks, dst));
    const out = new Float32Array(R * C);
    const kernelMs = await medianMs(reps, () => kernelPass(memPool, R, C, q, out));
    const label = `${((R * C) / 1e6).toFixed(2)}M patches (${R}x${C}x512 f16, ${(bytes / 2 ** 30).toFixed(2)} GiB)`;
    rows.push({
      bench: 'field',
      case: `kernel, chunks in memory: ${label}`,
      ours: `${kernelMs.toFixed(1)} ms, ${((R * C) / (kernelMs / 1000) / 1e6).toFixed(1)} Mpatch/s, ${gb(bytes, kernelMs).toFixed(2)} GB/s`,
      reference: `Buffer.copy ${copyMs.toFixed(1)} ms (${gb(bytes, copyMs).toFixed(1)} GB/s)`,
      ratio: kernelMs / copyMs,
      note:
        n === 10_000_000 && !disk10M
          ? '16 memory-resident chunks in a loop'
          : 'decode f16 (LUT) + dot, float64 sums',
    });
    if (n === 10_000_000 && !disk10M) continue;
    const field = await buildField(n, pool);
    // Warm the page cache, so the figure is query latency on a field the OS has seen.
    for (let cr = 0; cr < field.grid.chunkRows; cr++)
      for (let cc = 0; cc < field.grid.chunkCols; cc++) await readChunkRaw(field, cr, cc);
    const queryMs = await medianMs(reps, () => scoreField(field, q));
    rows.push({
      bench: 'field',
      case: `scoreField from Zarr on disk: ${label}`,
      ours: `${queryMs.toFixed(1)} ms, ${((R * C) / (queryMs / 1000) / 1e6).toFixed(1)} Mpatch/s, ${gb(bytes, queryMs).toFixed(2)} GB/s`,
      reference: `Buffer.copy ${copyMs.toFixed(1)} ms`,
      ratio: queryMs / copyMs,
      note: 'end to end: read chunk files (warm cache) + kernel',
    });
  }
  rows.push({
    bench: 'field',
    case: 'peak RSS of the bench process',
    ours: `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    reference: '—',
    ratio: null,
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  printTable(await runFieldBench());
  console.log(`\nwall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
