import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack, type Pack } from '../../src/core/packs/manifest';
import { verifyPack } from '../../src/core/packs/verify-pack';
import { fixturesDir } from '../../src/core/packs/pack-paths';
import { ModelRuntime } from '../../src/core/inference/model-runtime';
import { encodeImages, encodePatches } from '../../src/core/inference/encode-images';
import { encodeText } from '../../src/core/inference/encode-text';
import { chipsToPixelValues, type Chip } from '../../src/core/inference/preprocess';
import { samDecode, samEncode } from '../../src/core/inference/sam';
import { samPreprocess } from '../../src/core/inference/sam-preprocess';
import { float16ToFloat32 } from '../../src/core/field/float16';

/**
 * ONNX Runtime in Node, fed through OUR preprocessing and tokenizer, against PyTorch goldens
 * written by tools/export/make_fixture_packs.py. Tolerances are the goldens' own (stated per case
 * by the exporter: 1e-4 fp32 CLIP, 1e-3 SAM, 0.05 fp16).
 */
const FIX = fixturesDir();
const packs = fs.existsSync(FIX)
  ? fs.readdirSync(FIX).filter((d) => fs.existsSync(path.join(FIX, d, 'goldens', 'goldens.json')))
  : [];
if (packs.length === 0)
  console.warn(
    `[pytorch-parity] skipped: no fixture packs in ${FIX}; run /usr/bin/python3 tools/export/make_fixture_packs.py --out models/fixtures`,
  );

interface Arr {
  file: string;
  dtype: string;
  shape: number[];
}
interface Case {
  role: string;
  raw: Arr | null;
  text?: string | string[];
  pad?: string;
  note?: string;
  inputs: Record<string, Arr>;
  outputs: Record<string, Arr>;
  tolerance: { max_abs: number };
}

function readArr(dir: string, a: Arr): Float32Array | BigInt64Array | Uint8Array {
  const b = fs.readFileSync(path.join(dir, a.file));
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  if (a.dtype === 'float32') return new Float32Array(ab);
  if (a.dtype === 'float16') return float16ToFloat32(new Uint16Array(ab));
  if (a.dtype === 'int64') return new BigInt64Array(ab);
  if (a.dtype === 'uint8') return new Uint8Array(ab);
  throw new Error(`dtype ${a.dtype}`);
}

/** HxWxC uint8 in manifest band order → a Chip of physical-unit planes. */
function chipOf(dir: string, raw: Arr, bands: string[]): Chip {
  const [h, w, c] = raw.shape;
  const px = readArr(dir, raw) as Uint8Array;
  const planes = Object.fromEntries(
    bands.map((b, k) => [b, Float32Array.from({ length: h * w }, (_, i) => px[i * c + k])]),
  );
  return { width: w, height: h, bands: planes };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const rt = new ModelRuntime({ threads: 2, batchSize: 8 });
afterAll(() => rt.dispose());

describe.skipIf(packs.length === 0)(
  'PyTorch parity of fixture packs (ONNX Runtime through our preprocessing)',
  () => {
    for (const id of packs) {
      const dir = path.join(FIX, id);
      const gdir = path.join(dir, 'goldens');
      const cases = (
        JSON.parse(fs.readFileSync(path.join(gdir, 'goldens.json'), 'utf8')) as { cases: Case[] }
      ).cases;
      const chips = new Map<string, Chip>();
      let pack: Pack;
      const getPack = async () => (pack ??= await loadPack(dir));
      const chip = (raw: Arr, bands: string[]) =>
        chips.get(raw.file) ?? chips.set(raw.file, chipOf(gdir, raw, bands)).get(raw.file)!;

      it(`${id}: the manifest matches its graphs (verifyPack with hashes)`, async () => {
        const r = await verifyPack(dir, { checkHashes: true });
        expect(r.problems).toEqual([]);
      });

      cases.forEach((c, k) => {
        const label = `${id} #${k} ${c.role}${c.raw ? ` ${c.raw.file}` : ''}${c.text ? ` "${c.text}" pad=${c.pad}` : ''}${c.note ? ` (${c.note})` : ''}`;
        it(label, async () => {
          const p = await getPack();
          const m = p.manifest;
          const tol = c.tolerance.max_abs;
          const [outName, outArr] = Object.entries(c.outputs)[0];
          const want = readArr(gdir, outArr) as Float32Array;
          if (c.role === 'patch_encoder' || c.role === 'image_encoder') {
            const raws = c.raw ? [c.raw] : cases.filter((x) => x.role === c.role && x.raw).map((x) => x.raw!);
            const cs = raws.map((r) => chip(r, m.bands));
            // Our preprocessing equals the exporter's normalised tensor (to float32 / float16 rounding).
            const px = chipsToPixelValues(m, cs);
            expect(maxAbs(px, readArr(gdir, c.inputs.pixel_values) as Float32Array)).toBeLessThan(
              m.precision === 'fp16' ? 4e-3 : 1e-5,
            );
            const got =
              c.role === 'patch_encoder'
                ? (await encodePatches(rt, p, cs)).embeds
                : (await encodeImages(rt, p, cs)).embeds;
            expect(maxAbs(got, want), `${outName} max |ORT - PyTorch|`).toBeLessThanOrEqual(tol);
          } else if (c.role === 'text_encoder') {
            const texts = Array.isArray(c.text) ? c.text : [c.text!];
            const r = await encodeText(rt, p, texts);
            // Ids from OUR tokenizer (pack's pad convention) vs the exporter's; the eot-padded
            // golden must give the same embedding as our zeros-padded ids (causal mask, EOT pooling).
            const tok = m.roles.text_encoder!.tokenizer;
            if (tok.kind === 'clip-bpe' && c.pad === tok.pad)
              expect(r.inputIds).toEqual(readArr(gdir, c.inputs.input_ids));
            expect(maxAbs(r.embeds, want), `${outName} max |ORT - PyTorch|`).toBeLessThanOrEqual(tol);
          } else if (c.role === 'sam_image_encoder') {
            const ch = chip(c.raw!, m.bands);
            const pre = samPreprocess(m, ch);
            expect(maxAbs(pre.image, readArr(gdir, c.inputs.image) as Float32Array)).toBeLessThan(1e-3);
            const enc = await samEncode(rt, p, ch);
            expect(maxAbs(enc.embeddings, want), 'image_embeddings max |ORT - PyTorch|').toBeLessThanOrEqual(
              tol,
            );
          } else if (c.role === 'sam_prompt_decoder') {
            const inp = (n: string) => readArr(gdir, c.inputs[n]) as Float32Array;
            const [h, w] = Array.from(inp('orig_im_size'));
            const scale = 1024 / Math.max(h, w);
            const resized: [number, number] = [Math.floor(h * scale + 0.5), Math.floor(w * scale + 0.5)];
            const coords = inp('point_coords');
            const labels = Array.from(inp('point_labels'));
            const keep = labels.map((l, i) => [l, i]).filter(([l]) => l !== -1);
            // Goldens give the resized frame; our API takes original pixels and scales them back.
            const points = keep.map(
              ([, i]) =>
                [(coords[2 * i] * w) / resized[1], (coords[2 * i + 1] * h) / resized[0]] as [number, number],
            );
            const emb = inp('image_embeddings');
            const out = await samDecode(
              rt,
              p,
              {
                embeddings: emb,
                dims: c.inputs.image_embeddings.shape,
                origSize: [h, w],
                resized,
                inputSize: 1024,
                provider: 'cpu',
              },
              points,
              keep.map(([l]) => l),
              inp('has_mask_input')[0] === 1 ? { maskInput: inp('mask_input') } : {},
            );
            expect([out.count, out.height, out.width]).toEqual(c.outputs.masks.shape.slice(1));
            expect(
              maxAbs(out.masks, readArr(gdir, c.outputs.masks) as Float32Array),
              'masks',
            ).toBeLessThanOrEqual(tol);
            expect(
              maxAbs(out.iou, readArr(gdir, c.outputs.iou_predictions) as Float32Array),
              'iou',
            ).toBeLessThanOrEqual(tol);
            expect(
              maxAbs(out.lowRes, readArr(gdir, c.outputs.low_res_masks) as Float32Array),
              'low_res_masks',
            ).toBeLessThanOrEqual(tol);
          } else throw new Error(`unknown role ${c.role}`);
        });
      });
    }
  },
);
