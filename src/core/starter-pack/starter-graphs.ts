import { OnnxGraphBuilder } from './onnx-builder';
import { EPS, RAW_FEATURES, STARTER_EMBED_DIM, THRESHOLDS, starterLinearMap } from './starter-features';
import { conceptVector, STARTER_CONCEPTS } from './starter-concepts';

export const STARTER_CONTEXT_LENGTH = 77;

/**
 * The starter patch (or image) encoder graph. pixel_values: float32[N,4,S,S] (R,G,B,NIR in 0..1)
 * → patch_embeds: float32[N,(S/p)^2,12], or image_embeds: float32[N,12] (mean over patches).
 * See starter-features.ts for every formula; starterPatchEmbeddingsReference mirrors this graph.
 */
export function buildStarterImageGraph(size: number, patch: number, kind: 'patch' | 'image'): Uint8Array {
  const g = new OnnxGraphBuilder(`starter_${kind}_encoder`);
  const X = g.input('pixel_values', 'float32', ['N', 4, size, size]);
  const [R, G, B, NIR] = g.node('Split', [X], { axis: 1 }, 4); // each [N,1,S,S]
  const pool = (t: string) =>
    g.op('AveragePool', [t], { kernel_shape: [patch, patch], strides: [patch, patch] }); // [N,1,S/p,S/p]
  const cast = (t: string) => g.op('Cast', [t], { to: 1 });
  const eps = g.constF32([EPS], []);
  const zero = g.constF32([0], []);
  const normDiff = (a: string, b: string) =>
    g.op('Div', [g.op('Sub', [a, b]), g.op('Add', [g.op('Add', [a, b]), eps])]);

  const [mR, mG, mB, mN] = [R, G, B, NIR].map(pool);
  const gray = g.op('Div', [g.op('Add', [g.op('Add', [R, G]), B]), g.constF32([3], [])]); // per-pixel brightness
  const mGray = pool(gray);
  // Two-pass variance inside each patch (E[g²] − E[g]² cancels badly in float32): view gray as
  // [N,1,g,p,g,p] and subtract the patch mean broadcast as [N,1,g,1,g,1].
  const gp = size / patch;
  const blocks = g.op('Reshape', [gray, g.constI64([0, 1, gp, patch, gp, patch], [6])]);
  const meanB = g.op('Reshape', [mGray, g.constI64([0, 1, gp, 1, gp, 1], [6])]);
  const dev = g.op('Sub', [blocks, meanB]);
  const variance = g.op('ReduceMean', [g.op('Mul', [dev, dev])], { axes: [3, 5], keepdims: 0 }); // [N,1,g,g]
  const texture = g.op('Sqrt', [variance]);
  // A patch whose mean NIR is exactly 0 has no NIR band (RGB scene): NIR-based features are 0.
  const hasNir = cast(g.op('Greater', [mN, zero]));
  const ndvi = g.op('Mul', [normDiff(mN, mR), hasNir]);
  const ndwi = g.op('Mul', [normDiff(mG, mN), hasNir]);
  const nirExcess = g.op('Mul', [g.op('Sub', [mN, mGray]), hasNir]);
  const vegCover = pool(cast(g.op('Greater', [normDiff(NIR, R), g.constF32([THRESHOLDS.vegNdvi], [])])));
  const waterPx = g.op('And', [
    g.op('Greater', [normDiff(G, NIR), g.constF32([THRESHOLDS.waterNdwi], [])]),
    g.op('Greater', [NIR, zero]),
  ]);
  const waterCover = pool(cast(waterPx));
  const darkCover = pool(cast(g.op('Less', [gray, g.constF32([THRESHOLDS.dark], [])])));
  const brightCover = pool(cast(g.op('Greater', [gray, g.constF32([THRESHOLDS.bright], [])])));

  const feats = [mR, mG, mB, ndvi, ndwi, nirExcess, texture, vegCover, waterCover, darkCover, brightCover];
  if (feats.length !== RAW_FEATURES.length) throw new Error('starter graph out of sync with RAW_FEATURES');
  const F = feats.length;
  const D = STARTER_EMBED_DIM;
  const stacked = g.op('Concat', feats, { axis: 1 }); // [N,F,g,g]
  const flat = g.op('Reshape', [stacked, g.constI64([0, F, -1], [3])]); // [N,F,T]
  const tokens = g.op('Transpose', [flat], { perm: [0, 2, 1] }); // [N,T,F]
  const { W, b } = starterLinearMap();
  const Wt = new Float32Array(F * D); // [F,D]
  for (let d = 0; d < D; d++) for (let k = 0; k < F; k++) Wt[k * D + d] = W[d][k];
  const T = (size / patch) ** 2;
  if (kind === 'patch') {
    g.op('Add', [g.op('MatMul', [tokens, g.constF32(Wt, [F, D])]), g.constF32(b, [D])], {}, 'patch_embeds');
    g.output('patch_embeds', 'float32', ['N', T, D]);
  } else {
    const emb = g.op('Add', [g.op('MatMul', [tokens, g.constF32(Wt, [F, D])]), g.constF32(b, [D])]);
    g.op('ReduceMean', [emb], { axes: [1], keepdims: 0 }, 'image_embeds');
    g.output('image_embeds', 'float32', ['N', D]);
  }
  return g.toBytes(
    `GRAFT Workbench starter ${kind} encoder: transparent spectral/texture features, see README`,
  );
}

/**
 * The starter text encoder: input_ids int64[N,77] holds concept index + 1 per matched concept
 * (0 = padding). text_embeds float32[N,12] = L2-normalised sum of the concept unit vectors.
 */
export function buildStarterTextGraph(): Uint8Array {
  const g = new OnnxGraphBuilder('starter_text_encoder');
  const ids = g.input('input_ids', 'int64', ['N', STARTER_CONTEXT_LENGTH]);
  const D = STARTER_EMBED_DIM;
  const table = new Float32Array((STARTER_CONCEPTS.length + 1) * D); // row 0 = padding = zeros
  STARTER_CONCEPTS.forEach((c, i) => table.set(conceptVector(c), (i + 1) * D));
  const rows = g.op('Gather', [g.constF32(table, [STARTER_CONCEPTS.length + 1, D]), ids], { axis: 0 }); // [N,77,D]
  const sum = g.op('ReduceSum', [rows, g.constI64([1], [1])], { keepdims: 0 }); // [N,D]
  const norm = g.op('Sqrt', [
    g.op('ReduceSum', [g.op('Mul', [sum, sum]), g.constI64([1], [1])], { keepdims: 1 }),
  ]); // [N,1]
  g.op('Div', [sum, g.op('Add', [norm, g.constF32([1e-12], [])])], {}, 'text_embeds');
  g.output('text_embeds', 'float32', ['N', D]);
  return g.toBytes('GRAFT Workbench starter text encoder: concept lookup, see concepts.json');
}
