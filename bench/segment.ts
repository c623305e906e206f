/**
 * Segmentation benchmarks: SAM prompt-decoder latency per click (the real-size decoder of the
 * fixture SAM pack, through the engine's samDecode incl. mask selection and crop) against the
 * same architecture in PyTorch (bench/torch_reference.py --sam-decoder, same threads) and SAM's
 * published ~50 ms per prompt on CPU; and the interactive 'segment.points' path on the NAIP
 * 5 m sample: first click (window encode) and later clicks (cached embedding).
 * Run: node --import tsx bench/segment.ts   (BENCH_THREADS to change the thread count)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianMs, printTable, type BenchRow } from './table';
import { InProcessEngine } from '../src/engine/engine-client';
import { openScene } from '../src/core/imagery/open-scene';
import { silentJobContext } from '../src/core/jobs/job-types';
import { loadPack } from '../src/core/packs/manifest';
import { fixturesDir } from '../src/core/packs/pack-paths';
import { samSegmenter } from '../src/core/segment/sam-segmenter';
import { regionGrowSegmenter } from '../src/core/segment/region-grow-segmenter';
import { segmentPoints } from '../src/core/segment/segment-points';
import { repoRoot } from '../src/core/util/paths';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NAIP = path.resolve(repoRoot(), '../shared/data/naip/opengeos_m_4709963_se_14_1_20200831_5m.tif');
const fmt = (ms: number) => `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms`;

export async function runSegmentBench(): Promise<BenchRow[]> {
  const threads = Number(process.env.BENCH_THREADS ?? os.cpus().length);
  process.env.GRAFT_THREADS = String(threads);
  const rows: BenchRow[] = [];
  const dir = path.join(fixturesDir(), 'fixture-sam-tiny');
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    return [{ bench: 'segment', case: 'SAM decoder', ours: '—', reference: '—', ratio: null, note: `${dir} missing: run /usr/bin/python3 tools/export/make_fixture_packs.py --out models/fixtures` }];
  }
  const engine = new InProcessEngine();
  try {
    const ref = { packId: 'fixture-sam-tiny', packDir: dir };
    const S = 1024;
    let s = 7;
    const pixels = Float32Array.from({ length: 3 * S * S }, () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 256));
    await engine.request('engine.samEncode', { ...ref, key: 'bench/1024', pixels, bands: ['R', 'G', 'B'], height: S, width: S });
    const click = () => engine.request('engine.samDecode', { ...ref, key: 'bench/1024', points: [[400.5, 300.5]], labels: [1] });
    const oursMs = await medianMs(15, click);
    let torchMs: number | null = null;
    try {
      const out = execFileSync('/usr/bin/python3', [path.join(HERE, 'torch_reference.py'), '--sam-decoder', '--threads', String(threads), '--iters', '15', '--points', '1'], { encoding: 'utf8' });
      torchMs = (JSON.parse(out.trim().split('\n').at(-1)!) as { ms_per_click: number }).ms_per_click;
    } catch (e) {
      rows.push({ bench: 'segment', case: 'PyTorch SAM decoder', ours: '—', reference: '—', ratio: null, note: `torch_reference.py failed: ${(e as Error).message.split('\n')[0]}` });
    }
    rows.push({
      bench: 'segment',
      case: `SAM prompt decoder (real size) per click, 1024² window, ${threads} threads`,
      ours: fmt(oursMs),
      reference: torchMs !== null ? `PyTorch ${fmt(torchMs)}` : '—',
      ratio: torchMs !== null ? oursMs / torchMs : null,
      note: `ORT incl. mask pick + threshold + crop; SAM paper: ~50 ms/prompt on CPU (ratio vs 50 ms: ${(oursMs / 50).toFixed(2)})`,
    });
    rows.push({ bench: 'segment', case: 'SAM decoder per click vs SAM published CPU figure', ours: fmt(oursMs), reference: 'SAM ~50 ms', ratio: oursMs / 50 });

    if (existsSync(NAIP)) {
      const scene = await openScene([NAIP]);
      try {
        const seg = samSegmenter(engine, await loadPack(dir), dir);
        const [lon, lat] = scene.toWgs84(535.5, 268.5);
        const pt = [{ lon, lat, label: 1 as const }];
        const t0 = performance.now();
        const first = await segmentPoints(scene, pt, seg, {}, silentJobContext());
        const firstMs = performance.now() - t0;
        let last = first;
        const laterMs = await medianMs(5, async () => (last = await segmentPoints(scene, pt, seg, {}, silentJobContext())));
        const t = last.timings;
        const px = last.instances.reduce((n, inst) => n + inst.mask.reduce((a, v) => a + v, 0), 0);
        rows.push({ bench: 'segment', case: `segment.points first click, NAIP 5 m (window ${scene.width}x${scene.height}), fixture SAM`, ours: fmt(firstMs), reference: `encode ${fmt(first.timings.encodeMs)}`, ratio: null, note: 'read + encode + decode + polygon' });
        rows.push({ bench: 'segment', case: 'segment.points later click (embedding cached), fixture SAM', ours: fmt(laterMs), reference: `decoder alone ${fmt(oursMs)}`, ratio: laterMs / oursMs, note: `decode ${fmt(t.decodeMs)} + polygon ${fmt(t.polygonMs)} for a ${px}-px random-weight mask (real SAM masks are object-sized)` });
        const rg = regionGrowSegmenter();
        const rgMs = await medianMs(5, () => segmentPoints(scene, pt, rg, {}, silentJobContext()));
        rows.push({ bench: 'segment', case: 'segment.points click, region growing (no SAM pack)', ours: fmt(rgMs), reference: `SAM cached click ${fmt(laterMs)}`, ratio: rgMs / laterMs, note: 'includes reading the window each click' });
      } finally {
        scene.close();
      }
    }
  } finally {
    engine.dispose();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  printTable(await runSegmentBench());
}
