import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../src/core/util/paths';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/graft-workbench.js in a child process exactly as `npx graft-workbench` would. */
export function runBin(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'bin/graft-workbench.js'), ...args], {
    cwd: opts.cwd ?? repoRoot(),
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, ...opts.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
