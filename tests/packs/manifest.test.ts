import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, parseManifest } from '../../src/core/packs/manifest';
import { AppError } from '../../src/shared/errors';
import { tempStarter } from './helpers';

let tmp: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutated into invalid shapes on purpose
let good: any;

beforeAll(async () => {
  const s = await tempStarter();
  tmp = s.tmp;
  good = JSON.parse(await fs.readFile(path.join(s.naip, 'manifest.json'), 'utf8'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

function problemsOf(m: unknown): string[] {
  try {
    parseManifest(m);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('PACK_INVALID');
    return ((e as AppError).details as { problems: string[] }).problems;
  }
  throw new Error('manifest unexpectedly valid');
}

const clone = () => structuredClone(good);

describe('manifest validation', () => {
  it('accepts the generated starter manifest and fills defaults', () => {
    const m = parseManifest(clone());
    expect(m.id).toBe('starter-naip');
    expect(m.roles.text_encoder?.tokenizer.kind).toBe('concepts');
  });

  it('names the field path, the expectation and what was found', () => {
    const m = clone();
    m.embed_dim = '512';
    m.roles.patch_encoder.outputs.patch_embeds.shape[2] = true;
    m.sensor = 'landsat';
    const p = problemsOf(m);
    expect(p.find((x) => x.startsWith('embed_dim:'))).toMatch(/expected number.*found "512"/);
    expect(p.find((x) => x.startsWith('roles.patch_encoder.outputs.patch_embeds.shape[2]:'))).toMatch(
      /found boolean true/,
    );
    expect(p.find((x) => x.startsWith('sensor:'))).toMatch(/naip.*sentinel2.*found "landsat"/);
  });

  it('rejects bad ids, a misspelt role, missing file entries and band/mean mismatches', () => {
    const m = clone();
    m.id = 'Starter_NAIP';
    m.roles.patch_encdoer = m.roles.patch_encoder;
    delete m.files['text_encoder.onnx'];
    m.input.mean = [0, 0, 0];
    const p = problemsOf(m);
    expect(p.some((x) => x.startsWith('id:') && x.includes('[a-z0-9-]+'))).toBe(true);
    expect(p.some((x) => x.startsWith('roles:') && x.includes('patch_encdoer'))).toBe(true);
    expect(p).toContain(
      'files: roles.text_encoder uses "text_encoder.onnx" but files has no entry for it (expected {sha256, bytes})',
    );
    expect(p).toContain('input.mean: expected 4 values (one per band R,G,B,NIR), found 3');
  });

  it('rejects paths that leave the pack folder and a bad sha256', () => {
    const m = clone();
    m.roles.patch_encoder.file = '../evil.onnx';
    m.files['concepts.json'].sha256 = 'XYZ';
    const p = problemsOf(m);
    expect(
      p.some((x) => x.startsWith('roles.patch_encoder.file:') && x.includes('relative path inside the pack')),
    ).toBe(true);
    expect(p.some((x) => x.startsWith('files.concepts.json.sha256:'))).toBe(true);
  });

  it('loadPack reports a missing manifest and invalid JSON', async () => {
    await expect(loadPack(path.join(tmp, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const d = path.join(tmp, 'badjson');
    await fs.mkdir(d);
    await fs.writeFile(path.join(d, 'manifest.json'), '{"schema": ');
    await expect(loadPack(d)).rejects.toThrow(/invalid JSON/);
  });
});
