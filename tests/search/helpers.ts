import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir } from '../../src/core/packs/pack-paths';
import { repoRoot, sharedDataDir } from '../../src/core/util/paths';

export const ROOT = repoRoot();
export const PY = '/usr/bin/python3';
export const DATA = sharedDataDir();
export const NAIP_5M = path.join(DATA, 'naip', 'opengeos_m_4709963_se_14_1_20200831_5m.tif');
export const FIXTURES = path.join(ROOT, 'tests', '.fixtures', 'search');
export const SCENE_1M = path.join(FIXTURES, 'scene_1m.tif');
export const SCENE_5M = path.join(FIXTURES, 'scene_5m.tif');
export const FIXTURE_PACK = 'fixture-clip-vit-tiny';

/** Generates the search imagery fixtures and the fixture packs when missing (scripts, never committed). */
export function ensureFixtures(): void {
  if (!existsSync(SCENE_1M) || !existsSync(SCENE_5M))
    execFileSync(PY, [path.join(ROOT, 'tests/search/make-search-fixtures.py'), FIXTURES], {
      stdio: 'inherit',
    });
  if (!existsSync(path.join(fixturesDir(), FIXTURE_PACK, 'manifest.json')))
    execFileSync(PY, [path.join(ROOT, 'tools/export/make_fixture_packs.py'), '--out', fixturesDir()], {
      stdio: 'inherit',
      cwd: ROOT,
    });
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `graft-search-${prefix}-`));
}

/** Starts the CLI as a child process (bin/graft-workbench.js, exactly as a user runs it). */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'bin/graft-workbench.js'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Number of complete chunks recorded in a field's zarr.json (0 when not there yet). */
export async function completeChunks(fieldDir: string): Promise<{ count: number; total: number }> {
  try {
    const j = JSON.parse(await fs.readFile(path.join(fieldDir, 'zarr.json'), 'utf8'));
    const c = j.attributes.graft_field.complete_chunks;
    return { count: c.count, total: c.shape[0] * c.shape[1] };
  } catch {
    return { count: 0, total: 0 };
  }
}

/** Every file under dir (relative paths, sorted), temp folders excluded. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      if (e.name === '.tmp') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}
