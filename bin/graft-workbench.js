#!/usr/bin/env node
// Runs the CLI from source through tsx, so a checkout works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// `serve` resolves only on shutdown; everything else may leave handles (ONNX Runtime threads).
process.exit(code);
