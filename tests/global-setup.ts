import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/core/util/paths';

/** Builds what the tests serve if it is missing (`npm test` builds it in pretest already). */
export default function setup(): void {
  const root = repoRoot();
  if (!existsSync(path.join(root, 'out/renderer/index.html'))) {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}
