#!/usr/bin/env node
// Post-install: fetch what the npm registry cannot ship (the Electron binary; onnxruntime-node's
// CUDA provider on Linux with an NVIDIA GPU) where the network allows, skip it with a clear
// message where it does not, and build the renderer so `graft-workbench serve` works at once.
// Nothing here may fail the install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lines = [];
const note = (s) => lines.push(s);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, ...opts.env },
  });
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').filter(Boolean);
  // The first line that names an error says more than the last stack frame.
  const tail = (
    out.find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/i.test(l)) ??
    out.at(-1) ??
    ''
  ).trim();
  return { ok: r.status === 0, timedOut: r.error?.code === 'ETIMEDOUT', tail: tail.slice(0, 200) };
}

// 1. Electron binary (its own postinstall is denied in package.json "allowScripts": it would fail offline).
const electronDir = path.join(root, 'node_modules/electron');
if (process.env.GRAFT_SKIP_ELECTRON === '1') {
  note('Electron: skipped (GRAFT_SKIP_ELECTRON=1); `npm start` runs the web server instead.');
} else if (!existsSync(electronDir)) {
  note('Electron: not installed (optional dependency); `npm start` runs the web server instead.');
} else if (existsSync(path.join(electronDir, 'path.txt'))) {
  note('Electron: binary present.');
} else {
  const r = run(process.execPath, [path.join(electronDir, 'install.js')], { timeoutMs: 180_000 });
  note(
    r.ok
      ? 'Electron: binary downloaded.'
      : `Electron: binary NOT downloaded (${r.timedOut ? 'timed out' : r.tail || 'no network?'}). ` +
          '`npm start` will run the local web server instead. With internet, fetch it later: node node_modules/electron/install.js',
  );
}

// 2. CUDA execution provider for onnxruntime-node: only where it can help.
const ortDir = path.join(root, 'node_modules/onnxruntime-node');
const cudaLib = path.join(ortDir, 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so');
const hasNvidia =
  process.platform === 'linux' && process.arch === 'x64' && existsSync('/proc/driver/nvidia/version');
if (!existsSync(ortDir)) {
  note('ONNX Runtime: onnxruntime-node missing (install incomplete?).');
} else if (existsSync(cudaLib)) {
  note('ONNX Runtime: CUDA provider present.');
} else if (!hasNvidia) {
  note('ONNX Runtime: CUDA provider skipped (no NVIDIA driver found); models run on the CPU provider.');
} else if (process.env.GRAFT_SKIP_CUDA === '1') {
  note('ONNX Runtime: CUDA provider skipped (GRAFT_SKIP_CUDA=1).');
} else {
  const r = run(process.execPath, [path.join(ortDir, 'script/install.js')], {
    timeoutMs: 600_000,
    env: { ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
  });
  note(
    r.ok && existsSync(cudaLib)
      ? 'ONNX Runtime: CUDA 12 provider downloaded; models use the GPU where they can.'
      : `ONNX Runtime: CUDA provider NOT downloaded (${r.tail || 'no network?'}); models run on the CPU. ` +
          'Retry with internet: ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js',
  );
}

// 3. The renderer for the web host.
const vite = path.join(root, 'node_modules/vite/bin/vite.js');
if (existsSync(vite) && existsSync(path.join(root, 'vite.renderer.config.ts'))) {
  const r = run(
    process.execPath,
    [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'],
    { timeoutMs: 300_000 },
  );
  note(
    r.ok
      ? 'Renderer: built (out/renderer).'
      : `Renderer: build failed (${r.tail}); run: npm run build:renderer`,
  );
}

const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
console.log(`\nGRAFT Workbench ${version}: install summary\n${lines.map((l) => `  - ${l}`).join('\n')}\n`);
