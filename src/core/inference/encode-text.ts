import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { Pack } from '../packs/manifest';
import { loadClipTokenizer } from '../text/clip-tokenizer';
import { loadConceptTokenizer } from './concept-tokenizer';
import type { ProviderName } from './execution-provider';
import type { ModelRuntime } from './model-runtime';
import { tensorToF32 } from './tensor-io';

export interface TextEncoding {
  /** float32[N, D] row-major, as the graph returns it (CLIP towers are not normalised; the starter's is). */
  embeds: Float32Array;
  n: number;
  dim: number;
  /** input_ids int64[N, L] actually fed (for debugging and goldens). */
  inputIds: BigInt64Array;
  provider: ProviderName;
}

type Tokenize = (texts: readonly string[]) => BigInt64Array;
const tokenizers = new WeakMap<Pack, Promise<{ tokenize: Tokenize; length: number }>>();

async function makeTokenizer(
  pack: Pack,
  signal?: AbortSignal,
): Promise<{ tokenize: Tokenize; length: number }> {
  const te = pack.manifest.roles.text_encoder;
  if (!te) throw new AppError('UNSUPPORTED', `pack ${pack.manifest.id} has no text encoder`);
  const length = Number(Object.values(te.inputs)[0]?.shape[1] ?? 77);
  const tok = te.tokenizer;
  if (tok.kind === 'concepts') {
    const ct = await loadConceptTokenizer(path.join(pack.dir, tok.file), signal);
    return { tokenize: (t) => ct.encodeBatch(t, length), length };
  }
  if (
    path.dirname(tok.vocab) !== path.dirname(tok.merges) ||
    path.basename(tok.vocab) !== 'vocab.json' ||
    path.basename(tok.merges) !== 'merges.txt'
  )
    throw new AppError(
      'UNSUPPORTED',
      `pack ${pack.manifest.id}: the CLIP tokenizer files must be vocab.json and merges.txt in one folder (found ${tok.vocab}, ${tok.merges})`,
    );
  const clip = await loadClipTokenizer(
    path.join(pack.dir, path.dirname(tok.vocab)),
    { convention: tok.pad === 'eot' ? 'hf' : 'openai' },
    signal,
  );
  return {
    tokenize: (t) => clip.encodeBatch(t, { contextLength: tok.context_length, pad: tok.pad }),
    length: tok.context_length,
  };
}

/**
 * Text → embeddings through the pack's tokenizer (CLIP BPE or the starter's concepts; an unknown
 * concept throws UNKNOWN_CONCEPT) and text encoder. input_ids: int64[N,77] → text_embeds [N,D].
 */
export async function encodeText(
  rt: ModelRuntime,
  pack: Pack,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<TextEncoding> {
  let tp = tokenizers.get(pack);
  if (!tp) {
    tp = makeTokenizer(pack, signal);
    tokenizers.set(pack, tp);
    tp.catch(() => tokenizers.delete(pack));
  }
  const { tokenize, length } = await tp;
  const inputIds = tokenize(texts);
  const s = await rt.session(pack, 'text_encoder', signal);
  throwIfAborted(signal);
  const inName = Object.keys(s.spec.inputs)[0];
  const outName = Object.keys(s.spec.outputs)[0];
  const dim = pack.manifest.embed_dim;
  const embeds = new Float32Array(texts.length * dim);
  for (let i = 0; i < texts.length; i += rt.batchSize) {
    throwIfAborted(signal);
    const n = Math.min(rt.batchSize, texts.length - i);
    const ids = inputIds.subarray(i * length, (i + n) * length);
    const out = await s.session.run({ [inName]: new ort.Tensor('int64', ids, [n, length]) });
    const t = out[outName];
    if (!t) throw new AppError('PACK_INVALID', `${s.spec.file}: no output named ${outName}`);
    embeds.set(tensorToF32(t, `${s.spec.file}:${outName}`), i * dim);
  }
  return { embeds, n: texts.length, dim, inputIds, provider: s.provider };
}
