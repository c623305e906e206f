import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPack } from '../../src/core/packs/verify-pack';
import { readOnnxSignature } from '../../src/core/packs/onnx-signature';
import { buildStarterImageGraph } from '../../src/core/starter-pack/starter-graphs';
import { copyPack, editManifest, rehash, tempStarter } from './helpers';

let tmp: string;
let naip: string;
let n = 0;
const fresh = () => copyPack(naip, path.join(tmp, `case-${n++}`));

beforeAll(async () => {
  ({ tmp, naip } = await tempStarter());
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('verifyPack', () => {
  it('passes an honest pack with hashes checked, and reports the real graph signatures', async () => {
    const r = await verifyPack(naip, { checkHashes: true });
    expect(r.problems).toEqual([]);
    expect(r.graphs.patch_encoder?.outputs).toEqual([
      { name: 'patch_embeds', type: 'float32', shape: ['N', 196, 12] },
    ]);
    expect(r.graphs.text_encoder?.inputs).toEqual([{ name: 'input_ids', type: 'int64', shape: ['N', 77] }]);
  });

  it('catches a manifest that lies about the embedding dim', async () => {
    const d = await fresh();
    await editManifest(d, (m) => {
      m.embed_dim = 512;
      m.roles.patch_encoder.outputs.patch_embeds.shape = ['N', 196, 512];
    });
    const r = await verifyPack(d, { checkHashes: true });
    expect(r.ok).toBe(false);
    expect(r.problems).toContain(
      'patch_encoder.onnx: output patch_embeds has shape [N,196,12], manifest says [N,196,512]',
    );
    expect(r.problems).toContain(
      'patch_encoder.onnx: output patch_embeds has embedding dim 12, manifest embed_dim is 512',
    );
    expect(r.problems).toContain(
      'image_encoder.onnx: output image_embeds has embedding dim 12, manifest embed_dim is 512',
    );
    expect(r.problems).toContain(
      'text_encoder.onnx: output text_embeds has embedding dim 12, manifest embed_dim is 512',
    );
  });

  it('catches a wrong input name, a wrong element type and a wrong patch grid', async () => {
    const d = await fresh();
    await editManifest(d, (m) => {
      m.roles.patch_encoder.inputs = { pixels: m.roles.patch_encoder.inputs.pixel_values };
      m.roles.text_encoder.inputs.input_ids.type = 'int32';
      m.patch_size = 32;
    });
    const r = await verifyPack(d);
    expect(r.problems).toContain("patch_encoder.onnx: input named 'pixel_values', manifest says 'pixels'");
    expect(r.problems).toContain('text_encoder.onnx: input input_ids has type int64, manifest says int32');
    expect(r.problems).toContain(
      'patch_encoder.onnx: output patch_embeds has 196 patch tokens, manifest implies (224/32)^2 = 49',
    );
  });

  it('catches a fixed batch dim where the manifest promises a dynamic one, and wrong channels', async () => {
    const d = await fresh();
    await editManifest(d, (m) => {
      m.bands = ['R', 'G', 'B'];
      m.input.mean = [0, 0, 0];
      m.input.std = [1, 1, 1];
      m.roles.image_encoder.inputs.pixel_values.shape = ['N', 3, 224, 224];
    });
    const r = await verifyPack(d);
    expect(r.problems).toContain(
      'image_encoder.onnx: input pixel_values has shape [N,4,224,224], manifest says [N,3,224,224]',
    );
    expect(r.problems).toContain(
      'patch_encoder.onnx: input pixel_values has 4 channels, manifest bands has 3 (R,G,B)',
    );
  });

  it('catches a sha256 mismatch and a size mismatch', async () => {
    const d = await fresh();
    const f = path.join(d, 'text_encoder.onnx');
    const bytes = await fs.readFile(f);
    bytes[bytes.length - 5] ^= 0xff; // same size, different content
    await fs.writeFile(f, bytes);
    await fs.appendFile(path.join(d, 'concepts.json'), '\n');
    const r = await verifyPack(d, { checkHashes: true });
    expect(r.problems.some((p) => p.startsWith('sha256 mismatch for text_encoder.onnx (manifest '))).toBe(
      true,
    );
    expect(r.problems.some((p) => /^concepts\.json: file has \d+ bytes, manifest says \d+$/.test(p))).toBe(
      true,
    );
    // Without hashes the flipped byte goes unnoticed: that is what checkHashes is for.
    const quick = await verifyPack(d, { checkHashes: false });
    expect(quick.problems.some((p) => p.startsWith('sha256'))).toBe(false);
  });

  it('reports a truncated (corrupt) .onnx precisely, even when its hash entry was updated', async () => {
    const d = await fresh();
    const f = path.join(d, 'patch_encoder.onnx');
    const bytes = await fs.readFile(f);
    await fs.writeFile(f, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await rehash(d, 'patch_encoder.onnx');
    const r = await verifyPack(d, { checkHashes: true });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^corrupt \.onnx: patch_encoder\.onnx: field \d+ at byte \d+ runs past the end .*truncated file$/,
    );
  });

  it('reports a file that is not ONNX at all, and a missing graph file', async () => {
    const d = await fresh();
    await fs.writeFile(path.join(d, 'image_encoder.onnx'), 'this is not a model\n');
    await rehash(d, 'image_encoder.onnx');
    await fs.rm(path.join(d, 'text_encoder.onnx'));
    const r = await verifyPack(d);
    expect(r.problems.find((p) => p.startsWith('corrupt .onnx: image_encoder.onnx: '))).toBeDefined();
    expect(r.problems).toContain(
      'text_encoder.onnx: listed in manifest files but missing from the pack folder',
    );
    expect(r.problems).toContain('text_encoder.onnx: graph file for role text_encoder is missing');
  });

  it('reads [N,D,h,w]-style and fixed dims from the protobuf (signature reader on a graph with other dims)', async () => {
    const f = path.join(tmp, 'g112.onnx');
    await fs.writeFile(f, buildStarterImageGraph(112, 16, 'patch'));
    const sig = await readOnnxSignature(f);
    expect(sig.inputs[0]).toEqual({ name: 'pixel_values', type: 'float32', shape: ['N', 4, 112, 112] });
    expect(sig.outputs[0].shape).toEqual(['N', 49, 12]);
    expect(sig.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(sig.irVersion).toBe(8);
  });
});
