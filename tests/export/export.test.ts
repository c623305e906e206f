/**
 * tools/export end to end: fixture packs and checkpoint-layout exports made by PyTorch, run in
 * onnxruntime-node on the PyTorch golden inputs, compared with the PyTorch golden outputs.
 * Skips (with a message) where Debian's /usr/bin/python3 with torch + onnx is absent.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArray, runPackGoldens, type GoldenCase } from './golden-runner';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PY = '/usr/bin/python3';
const FIXTURES = path.join(repoRoot, 'models/fixtures');
const EXPORT_OUT = path.join(repoRoot, 'tests/.fixtures/export');
const FIXTURE_IDS = ['fixture-clip-vit-tiny', 'fixture-clip-vit-tiny-fp16', 'fixture-sam-tiny'];

const hasTorch = spawnSync(PY, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.warn(
    `tests/export skipped: ${PY} with torch + onnx (Debian python3-torch, python3-onnx) not found`,
  );

function python(args: string[], timeoutMs: number): string {
  const r = spawnSync(PY, args, { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`${PY} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readManifest(dir: string) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

describe.skipIf(!hasTorch)('tools/export fixture packs', () => {
  beforeAll(() => {
    // Idempotent: packs already made by this script version are skipped.
    python(['tools/export/make_fixture_packs.py', '--out', FIXTURES], 170_000);
  }, 180_000);

  for (const id of FIXTURE_IDS) {
    it(`${id}: onnxruntime-node matches the PyTorch goldens`, async () => {
      const results = await runPackGoldens(path.join(FIXTURES, id));
      expect(results.length).toBeGreaterThan(3);
      for (const r of results) {
        for (const [name, diff] of Object.entries(r.maxAbs)) {
          expect(diff, `${id} case ${r.index} ${r.role} ${name} (${r.label})`).toBeLessThanOrEqual(
            r.tolerance,
          );
        }
      }
    }, 60_000);

    it(`${id}: manifest files, sha256 and graph signatures agree`, async () => {
      const dir = path.join(FIXTURES, id);
      const m = readManifest(dir);
      expect(m.schema).toBe('graft-pack/1');
      expect(m.id).toBe(id);
      for (const [file, info] of Object.entries<{ sha256: string; bytes: number }>(m.files)) {
        expect(fs.statSync(path.join(dir, file)).size, file).toBe(info.bytes);
        if (file.endsWith('.onnx') || file.endsWith('.json') || file.endsWith('.txt')) {
          expect(sha256(path.join(dir, file)), file).toBe(info.sha256);
        }
      }
      for (const [role, spec] of Object.entries<{ file: string; inputs: object; outputs: object }>(m.roles)) {
        const s = await ort.InferenceSession.create(path.join(dir, spec.file), { logSeverityLevel: 3 });
        expect([...s.inputNames].sort(), role).toEqual(Object.keys(spec.inputs).sort());
        expect([...s.outputNames].sort(), role).toEqual(Object.keys(spec.outputs).sort());
        await s.release();
      }
    }, 60_000);
  }

  it('fixture-clip-vit-tiny: both padding conventions give the same text embedding', () => {
    const dir = path.join(FIXTURES, 'fixture-clip-vit-tiny');
    const g = JSON.parse(fs.readFileSync(path.join(dir, 'goldens/goldens.json'), 'utf8')) as {
      cases: GoldenCase[];
    };
    const ponds = g.cases.filter((c) => c.text === 'ponds');
    expect(ponds.map((c) => c.pad).sort()).toEqual(['eot', 'zeros']);
    const [a, b] = ponds.map((c) => readArray(path.join(dir, 'goldens'), c.outputs.text_embeds));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const fp = readManifest(dir);
    expect(fp.roles.text_encoder.inputs.input_ids).toEqual({ type: 'int64', shape: ['N', 77] });
    expect(fp.roles.patch_encoder.outputs.patch_embeds.shape).toEqual(['N', 196, 64]);
  });
});

describe.skipIf(!hasTorch)(
  'tools/export checkpoint layouts (OpenAI, Hugging Face, segment-anything, MobileSAM)',
  () => {
    let packs: string[] = [];
    beforeAll(() => {
      const out = python(['tests/export/test_export.py', '--out', EXPORT_OUT], 170_000);
      packs = JSON.parse(out.trim().split('\n').pop()!).packs;
    }, 180_000);

    it('every exported pack reproduces the original random-init modules in onnxruntime-node', async () => {
      expect(packs.length).toBe(6);
      for (const p of packs) {
        for (const r of await runPackGoldens(path.resolve(repoRoot, p))) {
          for (const [name, diff] of Object.entries(r.maxAbs)) {
            expect(diff, `${path.basename(p)} ${r.role} ${name}`).toBeLessThanOrEqual(r.tolerance);
          }
        }
      }
    }, 120_000);
  },
);
