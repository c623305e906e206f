/**
 * Search benchmarks: indexing throughput (patches/s, chip reading + inference + field writing)
 * of a real-size ViT-B/16 patch encoder (random weights, exported by bench/torch_reference.py)
 * against PyTorch running the same model on the same number of chips at the same thread count
 * (forward only, already-normalised input), and the starter pack's indexing throughput against
 * its own bare inference (engine.encodePatches on the same chips, no reading or writing).
 * Input: the NAIP 5 m sample; for ViT-B/16 a 1 m crop made with
 * `gdal_translate -srcwin 0 0 134 134 -tr 1 1 -r bilinear` (670 x 670 px, 42 x 42 patches, 9 chips).
 * Run: node --import tsx bench/search.ts   (BENCH_THREADS to change threads)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, type BenchRow } from './table';
import { InProcessEngine } from '../src/engine/engine-client';
import { openSearch } from '../src/core/search/open-search';
import { silentJobContext } from '../src/core/jobs/job-types';
import { PackRegistry } from '../src/core/packs/pack-registry';
import { fixturesDir, starterDir } from '../src/core/packs/pack-paths';
import { sharedDataDir } from '../src/core/util/paths';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const NAIP = path.join(sharedDataDir(), 'naip', 'opengeos_m_4709963_se_14_1_20200831_5m.tif');
const fmt = (x: number, unit: string) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ${unit}`;

async function indexOnce(source: string, packId: string, packs: PackRegistry, engine: InProcessEngine) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'graft-bench-search-'));
  try {
    const svc = await openSearch(dir, engine, { create: true, packs });
    const { scene } = await svc.addScene([source]);
    const t = performance.now();
    const s = await svc.index(scene.id, packId, { forceGsd: true }, silentJobContext());
    const secs = (performance.now() - t) / 1000;
    return { ...s, secs, patches: s.rows * s.cols };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function runSearchBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (!existsSync(NAIP))
    return [
      {
        bench: 'search',
        case: 'indexing',
        ours: '—',
        reference: '—',
        ratio: null,
        note: `${NAIP} missing: skipped`,
      },
    ];
  const threads = Number(process.env.BENCH_THREADS ?? os.cpus().length);
  process.env.GRAFT_THREADS = String(threads);
  const engine = new InProcessEngine();
  try {
    // Starter pack on the whole 5 m sample (native GSD): end-to-end vs its bare inference.
    // Each indexing is run twice and the second is timed: the first loads the ONNX session.
    await indexOnce(NAIP, 'starter-naip', new PackRegistry(), engine);
    const starter = await indexOnce(NAIP, 'starter-naip', new PackRegistry(), engine);
    const pixels = new Float32Array(starter.chipsRun * 4 * 224 * 224).fill(100);
    const t = performance.now();
    await engine.request('engine.encodePatches', {
      packId: 'starter-naip',
      pixels,
      bands: ['R', 'G', 'B', 'NIR'],
      n: starter.chipsRun,
      height: 224,
      width: 224,
    });
    const inferS = (performance.now() - t) / 1000;
    rows.push({
      bench: 'search',
      case: `index NAIP 5 m sample, starter-naip (${starter.rows}x${starter.cols} patches, ${starter.chipsRun} chips)`,
      ours: fmt(starter.patches / starter.secs, 'patches/s'),
      reference: `bare inference ${fmt((starter.chipsRun * 196) / inferS, 'patches/s')}`,
      ratio: starter.secs / ((inferS * starter.patches) / (starter.chipsRun * 196)),
      note: 'time ratio per patch; the rest is chip reading + float16 encoding + atomic chunk writes',
    });

    // ViT-B/16 (real size, random init) at 1 m: our indexer vs PyTorch forward on as many chips.
    const ref = path.join(HERE, 'torch_reference.py');
    const vitDir = path.join(HERE, '.data', 'vitb16-vision');
    if (!existsSync(path.join(vitDir, 'manifest.json'))) {
      mkdirSync(vitDir, { recursive: true });
      execFileSync(PY, [ref, '--export', vitDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const crop = path.join(HERE, '.data', 'naip_1m_crop_670.tif');
    if (!existsSync(crop))
      execFileSync('gdal_translate', [
        '-q',
        '-srcwin',
        '0',
        '0',
        '134',
        '134',
        '-tr',
        '1',
        '1',
        '-r',
        'bilinear',
        NAIP,
        crop,
      ]);
    const packs = new PackRegistry({
      roots: [
        { dir: starterDir(), source: 'starter' },
        { dir: fixturesDir(), source: 'fixture' },
        { dir: path.join(HERE, '.data'), source: 'user' },
      ],
    });
    const vitId = JSON.parse(await fs.readFile(path.join(vitDir, 'manifest.json'), 'utf8')).id as string;
    await indexOnce(crop, vitId, packs, engine);
    const vit = await indexOnce(crop, vitId, packs, engine);
    const torch = JSON.parse(
      execFileSync(PY, [ref, '--threads', String(threads), '--batch', '8', '--iters', '2'], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .at(-1)!,
    ) as { chips_per_s: number };
    const ours = vit.patches / vit.secs;
    const torchPatches = torch.chips_per_s * 196;
    rows.push({
      bench: 'search',
      case: `index 1 m NAIP crop, ViT-B/16 random (${vit.rows}x${vit.cols} patches, ${vit.chipsRun} chips), ${threads} threads`,
      ours: fmt(ours, 'patches/s'),
      reference: `PyTorch forward ${fmt(torchPatches, 'patches/s')}`,
      ratio: torchPatches / ours,
      note: 'time ratio ours/PyTorch per patch; ours end to end (read, resample, infer, write), PyTorch forward only',
    });
    rows.push({
      bench: 'search',
      case: 'execution providers used',
      ours: JSON.stringify(await engine.request('engine.providers', {})),
      reference: '—',
      ratio: null,
    });
  } finally {
    engine.dispose();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  printTable(await runSearchBench());
}
