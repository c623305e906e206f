import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/core/util/paths';
import { ensureStarterPack } from '../src/core/starter-pack/generate-starter-pack';
import { ensureImageryFixtures } from './e2e/helpers-imagery';
import { ensureFixtures as ensureImageryTestFixtures } from './imagery/helpers';
import { ensureFixtures as ensureSearchFixtures } from './search/helpers';

const PY = '/usr/bin/python3';

/** A generator that fails leaves its tests to fail or skip with their own message; setup goes on. */
function attempt(label: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    console.warn(`[setup] ${label} could not be generated: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Generated inputs every test may use, made once before any test file runs (test files run
 * in parallel and must not race to write them): the built renderer, the starter pack, the
 * GDAL-made imagery fixtures, and the fixture model packs with their PyTorch goldens and the
 * search fixtures (when Debian's gdal, python3-torch and python3-onnx are installed; otherwise
 * the tests that need them skip and say why).
 */
export default async function setup(): Promise<void> {
  const root = repoRoot();
  if (!existsSync(path.join(root, 'out/renderer/index.html'))) {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
  }
  await ensureStarterPack();
  const hasGdal = spawnSync('gdalinfo', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hasGdal) {
    // GDAL-made imagery for several test files at once: made here so no two files race to write it.
    attempt('imagery fixtures', ensureImageryTestFixtures);
    attempt('e2e imagery fixtures', ensureImageryFixtures);
  } else {
    console.warn(
      '[setup] gdalinfo not found: GDAL-made fixtures not generated; the tests that need them skip',
    );
  }
  const hasTorch =
    existsSync(PY) && spawnSync(PY, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
  if (!hasTorch) {
    console.warn(
      '[setup] /usr/bin/python3 with torch and onnx not found: fixture packs not generated; PyTorch-parity tests will skip',
    );
    return;
  }
  const started = Date.now();
  execFileSync(
    PY,
    [path.join(root, 'tools/export/make_fixture_packs.py'), '--out', path.join(root, 'models/fixtures')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600_000,
    },
  );
  console.log(
    `[setup] fixture packs ready in models/fixtures (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (hasGdal) attempt('search fixtures', ensureSearchFixtures);
}
