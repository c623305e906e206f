/**
 * Model benchmarks: patch-encoding throughput of a ViT-B/16-architecture encoder in
 * onnxruntime-node vs PyTorch at the same thread count (bench/torch_reference.py exports the
 * model and times PyTorch), text-encoding latency, starter-pack throughput vs its plain
 * TypeScript reference, and the execution provider used.
 * Run: node --import tsx bench/models.ts   (BENCH_THREADS, BENCH_CHIPS to change the load)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianMs, printTable, type BenchRow } from './table';
import { loadPack } from '../src/core/packs/manifest';
import { fixturesDir } from '../src/core/packs/pack-paths';
import { ModelRuntime } from '../src/core/inference/model-runtime';
import { encodePatches } from '../src/core/inference/encode-images';
import { encodeText } from '../src/core/inference/encode-text';
import { chipsToPixelValues, type Chip } from '../src/core/inference/preprocess';
import { ensureStarterPack } from '../src/core/starter-pack/generate-starter-pack';
import { starterPatchEmbeddingsReference } from '../src/core/starter-pack/starter-features';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';

function randomChips(n: number, bands: string[], size = 224): Chip[] {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 255;
  return Array.from({ length: n }, () => ({ width: size, height: size, bands: Object.fromEntries(bands.map((b) => [b, Float32Array.from({ length: size * size }, rnd)])) }));
}

const fmt = (x: number, unit: string) => `${x >= 100 ? x.toFixed(0) : x.toFixed(2)} ${unit}`;

export async function runModelsBench(): Promise<BenchRow[]> {
  const threads = Number(process.env.BENCH_THREADS ?? os.cpus().length);
  const nChips = Number(process.env.BENCH_CHIPS ?? 16);
  const rt = new ModelRuntime({ threads, batchSize: 8 });
  const rows: BenchRow[] = [];
  try {
    // Starter pack: ORT graph vs the straightforward TypeScript computation of the same features.
    const [naipDir] = await ensureStarterPack();
    const starter = await loadPack(naipDir);
    const chips = randomChips(nChips, starter.manifest.bands);
    let provider = 'cpu';
    const ortMs = await medianMs(5, async () => (provider = (await encodePatches(rt, starter, chips)).provider));
    // The reference includes the same normalisation step (chipsToPixelValues) that ORT's timing does.
    const tsMs = await medianMs(3, () => chips.forEach((c) => starterPatchEmbeddingsReference(chipsToPixelValues(starter.manifest, [c]), 224, 16)));
    rows.push({ bench: 'models', case: `starter patch encoder, ${nChips} chips 224² RGBN, ${threads} threads`, ours: fmt((nChips / ortMs) * 1000, 'chips/s'), reference: `TS reference ${fmt((nChips / tsMs) * 1000, 'chips/s')}`, ratio: ortMs / tsMs, note: `provider ${provider}; time ratio` });
    const textMs = await medianMs(20, () => encodeText(rt, starter, ['water and trees']));
    rows.push({ bench: 'models', case: 'starter text encoder, 1 query', ours: fmt(textMs, 'ms'), reference: '—', ratio: null, note: 'concept lookup graph' });

    // Fixture CLIP text tower (tiny, random) through our BPE tokenizer.
    const fx = path.join(fixturesDir(), 'fixture-clip-vit-tiny');
    if (existsSync(path.join(fx, 'manifest.json'))) {
      const p = await loadPack(fx);
      const ms = await medianMs(20, () => encodeText(rt, p, ['center-pivot irrigation']));
      rows.push({ bench: 'models', case: 'fixture CLIP text (width 64, 2 layers), 1 query incl. BPE', ours: fmt(ms, 'ms'), reference: '—', ratio: null });
    }

    // ViT-B/16 patch encoder: ONNX Runtime vs PyTorch, same threads, same batch.
    const ref = path.join(HERE, 'torch_reference.py');
    if (!existsSync(ref)) {
      rows.push({ bench: 'models', case: 'ViT-B/16 patch encoder ORT vs PyTorch', ours: '—', reference: '—', ratio: null, note: 'bench/torch_reference.py missing: skipped' });
    } else {
      const dir = path.join(HERE, '.data', 'vitb16-pack');
      mkdirSync(dir, { recursive: true });
      if (!existsSync(path.join(dir, 'manifest.json'))) execFileSync(PY, [ref, '--export', dir], { stdio: 'inherit' });
      const p = await loadPack(dir);
      const vchips = randomChips(nChips, p.manifest.bands);
      const ms = await medianMs(3, () => encodePatches(rt, p, vchips));
      const out = execFileSync(PY, [ref, '--time', dir, '--threads', String(threads), '--batch', '8', '--chips', String(nChips)], { encoding: 'utf8' });
      const m = /([\d.]+)\s*chips\/s/.exec(out) ?? /"chips_per_s"\s*:\s*([\d.]+)/.exec(out);
      const torchCps = m ? Number(m[1]) : NaN;
      const ours = (nChips / ms) * 1000;
      rows.push({ bench: 'models', case: `ViT-B/16 patch encoder, ${nChips} chips, batch 8, ${threads} threads`, ours: fmt(ours, 'chips/s'), reference: Number.isFinite(torchCps) ? `PyTorch ${fmt(torchCps, 'chips/s')}` : `PyTorch: unparsed "${out.trim().slice(0, 60)}"`, ratio: Number.isFinite(torchCps) ? torchCps / ours : null, note: 'time ratio ORT/PyTorch (<1: ORT faster)' });
    }
    rows.push({ bench: 'models', case: 'execution providers used', ours: JSON.stringify(await rt.providers()), reference: '—', ratio: null });
  } finally {
    await rt.dispose();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  printTable(await runModelsBench());
}
