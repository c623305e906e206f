/**
 * `npm run bench`: every benchmark, each row a measurement against a reference measured in the
 * same run (PyTorch, GDAL, a memory copy). Not tests: nothing here asserts a time.
 * Run a subset with `npm run bench -- foundation imagery`. Each suite runs in its own process.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { printTable, type BenchRow } from './table';

type Suite = () => Promise<BenchRow[]>;
const suites: Record<string, () => Promise<Suite>> = {
  foundation: async () => (await import('./foundation')).runFoundationBench,
  models: async () => (await import('./models')).runModelsBench,
  search: async () => (await import('./search')).runSearchBench,
  segment: async () => (await import('./segment')).runSegmentBench,
  field: async () => (await import('./field')).runFieldBench,
  vector: async () => {
    const { runVectorBench } = await import('./vector');
    return async () =>
      runVectorBench().map((r) => ({
        bench: 'vector',
        case: `mask→polygons ${r.mask} (${r.polygons} polygons)`,
        ours: `${r.oursMs.toFixed(0)} ms`,
        reference: `GDAL Polygonize ${r.gdalInternalMs.toFixed(0)} ms (gdal_polygonize.py wall ${r.gdalWallMs.toFixed(0)} ms)`,
        ratio: r.oursMs / r.gdalInternalMs,
        note: 'GDAL timed inside Python around Polygonize; same polygon count checked',
      }));
  },
  imagery: async () => {
    const { runImageryBench } = await import('./imagery');
    return async () => {
      const rows = await runImageryBench();
      const gdal = rows.find((r) => r.ratio === 1) ?? rows[rows.length - 1]!;
      return rows
        .filter((r) => r !== gdal)
        .map((r) => ({
          bench: 'imagery',
          case: `${r.name}: every tile of one zoom (${r.tiles} tiles)`,
          ours: `${r.wallS.toFixed(1)} s (${r.msPerTile.toFixed(0)} ms/tile, peak RSS ${Math.round(r.peakRssMB)} MB)`,
          reference: `gdal2tiles ${gdal.wallS.toFixed(1)} s (peak RSS ${Math.round(gdal.peakRssMB)} MB)`,
          ratio: r.ratio,
          note: 'input: NAIP sample upscaled with gdal_translate -outsize (BENCH_SIZE)',
        }));
    };
  },
};

const CHILD = '--child';
const MARK = '@@bench-rows@@';

if (process.argv[2] === CHILD) {
  // One suite per process: its peak RSS is its own, and a crash or leak stays in it.
  const name = process.argv[3]!;
  let rows: BenchRow[];
  try {
    const run = await suites[name]!();
    rows = await run();
  } catch (err) {
    rows = [
      {
        bench: name,
        case: 'FAILED',
        ours: '',
        reference: '',
        ratio: null,
        note: (err as Error).message.slice(0, 200),
      },
    ];
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  rows.push({
    bench: name,
    case: 'peak RSS of this suite (its own process)',
    ours: `${rss.toFixed(0)} MiB`,
    reference: '—',
    ratio: null,
  });
  process.stdout.write(`\n${MARK}${JSON.stringify(rows)}\n`);
  process.exit(0);
}

const wanted = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const name of Object.keys(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD, name],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (line) rows.push(...(JSON.parse(line.slice(MARK.length)) as BenchRow[]));
  else
    rows.push({
      bench: name,
      case: 'FAILED',
      ours: '',
      reference: '',
      ratio: null,
      note: `exit ${child.status}; ${child.stdout.slice(-200)}`,
    });
  console.error(`[bench] ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(
  `\nGRAFT Workbench benchmarks (${process.platform}-${process.arch}, ${os.cpus().length} cores, node ${process.version})\n`,
);
printTable(rows);
process.exit(0);
