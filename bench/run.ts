/**
 * `npm run bench`: every benchmark, each row a measurement against a reference measured in the
 * same run (PyTorch, GDAL, a memory copy). Not tests: nothing here asserts a time.
 * Run a subset with `npm run bench -- foundation imagery`.
 */
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
          ours: `${r.wallS.toFixed(1)} s (${r.msPerTile.toFixed(0)} ms/tile, peak RSS ${r.peakRssMB} MB)`,
          reference: `gdal2tiles ${gdal.wallS.toFixed(1)} s (peak RSS ${gdal.peakRssMB} MB)`,
          ratio: r.ratio,
          note: 'input: NAIP sample upscaled with gdal_translate -outsize (BENCH_SIZE)',
        }));
    };
  },
};

const wanted = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const started = performance.now();
  try {
    const run = await load();
    rows.push(...(await run()));
    console.error(`[bench] ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    rows.push({ bench: name, case: 'FAILED', ours: '', reference: '', ratio: null, note: (err as Error).message.slice(0, 200) });
  }
}
console.log(`\nGRAFT Workbench benchmarks (${process.platform}-${process.arch}, ${(await import('node:os')).cpus().length} cores, node ${process.version})\n`);
printTable(rows);
console.log(`\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
process.exit(0);
