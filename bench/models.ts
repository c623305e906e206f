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
  return Array.from({ length: n }, () => ({
    width: size,
    height: size,
    bands: Object.fromEntries(bands.map((b) => [b, Float32Array.from({ length: size * size }, rnd)])),
  }));
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
    const ortMs = await medianMs(
      5,
      async () => (provider = (await encodePatches(rt, starter, chips)).provider),
    );
    // The reference includes the same normalisation step (chipsToPixelValues) that ORT's timing does.
    const tsMs = await medianMs(3, () =>
      chips.forEach((c) =>
        starterPatchEmbeddingsReference(chipsToPixelValues(starter.manifest, [c]), 224, 16),
      ),
    );
    rows.push({
      bench: 'models',
      case: `starter patch encoder, ${nChips} chips 224² RGBN, ${threads} threads`,
      ours: fmt((nChips / ortMs) * 1000, 'chips/s'),
      reference: `TS reference ${fmt((nChips / tsMs) * 1000, 'chips/s')}`,
      ratio: ortMs / tsMs,
      note: `provider ${provider}; time ratio`,
    });
    const textMs = await medianMs(20, () => encodeText(rt, starter, ['water and trees']));
    rows.push({
      bench: 'models',
      case: 'starter text encoder, 1 query',
      ours: fmt(textMs, 'ms'),
      reference: '—',
      ratio: null,
      note: 'concept lookup graph',
    });

    // Fixture CLIP text tower (tiny, random) through our BPE tokenizer.
    const fx = path.join(fixturesDir(), 'fixture-clip-vit-tiny');
    if (existsSync(path.join(fx, 'manifest.json'))) {
      const p = await loadPack(fx);
      const ms = await medianMs(20, () => encodeText(rt, p, ['center-pivot irrigation']));
      rows.push({
        bench: 'models',
        case: 'fixture CLIP text (width 64, 2 layers), 1 query incl. BPE',
        ours: fmt(ms, 'ms'),
        reference: '—',
        ratio: null,
      });
    }

    // ViT-B/16 (random weights, real size): ONNX Runtime vs PyTorch, same threads, same batch.
    const ref = path.join(HERE, 'torch_reference.py');
    if (!existsSync(ref)) {
      rows.push({
        bench: 'models',
        case: 'ViT-B/16 ORT vs PyTorch',
        ours: '—',
        reference: '—',
        ratio: null,
        note: 'bench/torch_reference.py missing: skipped',
      });
    } else {
      const torch = (args: string[]) =>
        JSON.parse(
          execFileSync(PY, [ref, '--threads', String(threads), ...args], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .at(-1)!,
        ) as Record<string, number>;
      const exported = (mode: string[], sub: string) => {
        const dir = path.join(HERE, '.data', sub);
        if (!existsSync(path.join(dir, 'manifest.json'))) {
          mkdirSync(dir, { recursive: true });
          execFileSync(PY, [ref, ...mode, '--export', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        }
        return loadPack(dir);
      };
      const vit = await exported([], 'vitb16-vision');
      const vchips = randomChips(8, vit.manifest.bands);
      const ms = await medianMs(1, () => encodePatches(rt, vit, vchips));
      const t = torch(['--batch', '8', '--iters', '1']);
      const ours = (8 / ms) * 1000;
      rows.push({
        bench: 'models',
        case: `ViT-B/16 patch encoder, batch 8, ${threads} threads`,
        ours: fmt(ours, 'chips/s'),
        reference: `PyTorch ${fmt(t.chips_per_s, 'chips/s')}`,
        ratio: t.chips_per_s / ours,
        note: 'time ratio ORT/PyTorch, ORT incl. preprocessing (<1: ORT faster)',
      });
      const txt = await exported(['--text'], 'vitb16-text');
      const tms = await medianMs(5, () => encodeText(rt, txt, ['center-pivot irrigation']));
      const tt = torch(['--text', '--batch', '1', '--iters', '5']);
      rows.push({
        bench: 'models',
        case: `ViT-B/16 text encoder, 1 query, ${threads} threads`,
        ours: fmt(tms, 'ms'),
        reference: `PyTorch ${fmt(tt.ms_per_batch, 'ms')}`,
        ratio: tms / tt.ms_per_batch,
        note: 'ORT incl. BPE tokenisation',
      });
    }
    rows.push({
      bench: 'models',
      case: 'execution providers used',
      ours: JSON.stringify(await rt.providers()),
      reference: '—',
      ratio: null,
    });
  } finally {
    await rt.dispose();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  printTable(await runModelsBench());
}
