import fs from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import { bpeWord } from './bpe';
import { bytesToUnicode, unicodeToBytes } from './bytes-to-unicode';
import { cleanTextHf, cleanTextOpenAi, type ClipConvention } from './text-clean';

export type { ClipConvention } from './text-clean';

export const CLIP_SOT = 49406; // <|startoftext|>
export const CLIP_EOT = 49407; // <|endoftext|>
export const CLIP_CONTEXT_LENGTH = 77;

export interface ClipEncodeOptions {
  /** Length of one row of input_ids; default 77. */
  contextLength?: number;
  /** 'zeros': OpenAI/open_clip; 'eot': Hugging Face; 'none': no padding. Default: the convention's own. */
  pad?: 'zeros' | 'eot' | 'none';
  /** Cut to contextLength keeping the end token last (default true); false throws on overflow. */
  truncate?: boolean;
  /** Overrides the tokenizer's convention for this call. */
  convention?: ClipConvention;
}

export interface ClipTokenizer {
  /** Number of ids (49408 for CLIP). */
  readonly vocabSize: number;
  readonly convention: ClipConvention;
  /** Token ids with start and end tokens: [contextLength] unless pad is 'none'. */
  encode(text: string, opts?: ClipEncodeOptions): number[];
  /** input_ids: int64[N, contextLength], row-major, for the text encoder's ONNX input. */
  encodeBatch(texts: readonly string[], opts?: ClipEncodeOptions): BigInt64Array;
  /** Text of the ids; with skipSpecial (default) start/end tokens and everything after the first end token are dropped. */
  decode(ids: ArrayLike<number | bigint>, opts?: { skipSpecial?: boolean }): string;
}

// The CLIP pre-tokenizer with \s spelled as White_Space (see text-clean.ts). OpenAI compiles it
// with re.IGNORECASE; Hugging Face's copy in tokenizer.json is case-sensitive.
const PRETOKENIZE_SRC =
  "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\p{White_Space}\\p{L}\\p{N}]+";
const PRETOKENIZE = { openai: new RegExp(PRETOKENIZE_SRC, 'giu'), hf: new RegExp(PRETOKENIZE_SRC, 'gu') };
const MEMO_LIMIT = 100_000;

class BpeClipTokenizer implements ClipTokenizer {
  readonly vocabSize: number;
  private readonly byteChars = bytesToUnicode();
  private readonly byteOf = unicodeToBytes();
  private readonly utf8 = new TextEncoder();
  private readonly memo = new Map<string, number[]>();

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly idToToken: readonly string[],
    private readonly ranks: ReadonlyMap<string, number>,
    readonly convention: ClipConvention,
  ) {
    this.vocabSize = idToToken.length;
  }

  encode(text: string, opts: ClipEncodeOptions = {}): number[] {
    const convention = opts.convention ?? this.convention;
    const ctx = opts.contextLength ?? CLIP_CONTEXT_LENGTH;
    const pad = opts.pad ?? (convention === 'openai' ? 'zeros' : 'eot');
    if (!Number.isInteger(ctx) || ctx < 2) {
      throw new AppError('BAD_REQUEST', `CLIP tokenizer: contextLength must be an integer >= 2 (got ${ctx})`);
    }
    const ids = [CLIP_SOT, ...this.body(text, convention), CLIP_EOT];
    if (ids.length > ctx) {
      if (opts.truncate === false) {
        throw new AppError(
          'INVALID_INPUT',
          `CLIP tokenizer: "${text.slice(0, 40)}…" is ${ids.length} tokens, longer than the context length ${ctx}`,
        );
      }
      ids.length = ctx;
      ids[ctx - 1] = CLIP_EOT;
    }
    if (pad !== 'none') {
      const fill = pad === 'zeros' ? 0 : CLIP_EOT;
      while (ids.length < ctx) ids.push(fill);
    }
    return ids;
  }

  encodeBatch(texts: readonly string[], opts: ClipEncodeOptions = {}): BigInt64Array {
    if (opts.pad === 'none')
      throw new AppError('BAD_REQUEST', 'CLIP tokenizer: encodeBatch needs padding (pad "zeros" or "eot")');
    const ctx = opts.contextLength ?? CLIP_CONTEXT_LENGTH;
    const out = new BigInt64Array(texts.length * ctx); // input_ids: int64[N, ctx]
    texts.forEach((t, row) => {
      const ids = this.encode(t, opts);
      for (let j = 0; j < ctx; j++) out[row * ctx + j] = BigInt(ids[j]!);
    });
    return out;
  }

  decode(ids: ArrayLike<number | bigint>, opts: { skipSpecial?: boolean } = {}): string {
    const skip = opts.skipSpecial ?? true;
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = Number(ids[i]);
      if (skip && id === CLIP_SOT) continue;
      if (skip && id === CLIP_EOT) break; // what follows is padding (0 or 49407)
      const tok = this.idToToken[id];
      if (tok === undefined)
        throw new AppError('INVALID_INPUT', `CLIP tokenizer: id ${id} is outside the vocabulary`);
      s += tok;
    }
    // Special tokens kept by skipSpecial=false are plain ASCII, so they survive the byte mapping.
    const bytes = Uint8Array.from(Array.from(s, (c) => this.byteOf.get(c) ?? 0x3f));
    return new TextDecoder('utf-8').decode(bytes).replaceAll('</w>', ' ').trim();
  }

  private body(text: string, convention: ClipConvention): number[] {
    const out: number[] = [];
    if (convention === 'openai') {
      this.pretokenized(cleanTextOpenAi(text), 'openai', out);
      return out;
    }
    // Hugging Face matches its added tokens before the normalizer ("<|endoftext|>", exact case)
    // and after it ("<|startoftext|>", lower-cased text); the rest goes through BPE.
    text.split('<|endoftext|>').forEach((raw, i) => {
      if (i > 0) out.push(CLIP_EOT);
      cleanTextHf(raw)
        .split('<|startoftext|>')
        .forEach((seg, j) => {
          if (j > 0) out.push(CLIP_SOT);
          this.pretokenized(seg, 'hf', out);
        });
    });
    return out;
  }

  private pretokenized(text: string, convention: ClipConvention, out: number[]): void {
    for (const m of text.matchAll(PRETOKENIZE[convention])) {
      const piece = m[0];
      if (piece === '<|startoftext|>' || piece === '<|endoftext|>') {
        if (convention === 'openai') {
          out.push(piece === '<|endoftext|>' ? CLIP_EOT : CLIP_SOT);
          continue;
        }
        // Hugging Face's ByteLevel step re-splits pieces with GPT-2's regex; of CLIP's pieces only
        // these (left after lower-casing "<|EndOfText|>") change: "<|", the word, "|>".
        for (const word of ['<|', piece.slice(2, -2), '|>'])
          for (const id of this.wordIds(word)) out.push(id);
        continue;
      }
      for (const id of this.wordIds(piece)) out.push(id);
    }
  }

  /** BPE ids of one pre-token, memoised (the same words recur across queries and batches). */
  private wordIds(piece: string): number[] {
    const hit = this.memo.get(piece);
    if (hit) return hit;
    let chars = '';
    for (const b of this.utf8.encode(piece)) chars += this.byteChars[b];
    const ids = bpeWord(chars, this.ranks).map((sym) => {
      const id = this.vocab.get(sym);
      if (id === undefined)
        throw new AppError('INVALID_INPUT', `CLIP tokenizer: merge result "${sym}" is not in vocab.json`);
      return id;
    });
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(piece, ids);
    return ids;
  }
}

async function readText(file: string, signal?: AbortSignal): Promise<string> {
  try {
    return await fs.readFile(file, { encoding: 'utf8', signal });
  } catch (err) {
    throwIfAborted(signal);
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `${file}: cannot read CLIP tokenizer file (${code ?? String(err)})`,
    );
  }
}

export interface LoadClipTokenizerOptions {
  /** Default cleaning/padding convention of encode (default 'openai'). */
  convention?: ClipConvention;
  /** File names inside `dir` (a pack manifest's tokenizer.vocab / tokenizer.merges). */
  vocab?: string;
  merges?: string;
}

/**
 * Loads a CLIP byte-level BPE tokenizer from a folder holding `vocab.json` and `merges.txt`
 * (the Hugging Face / model-pack layout). `convention` picks the default cleaning and padding.
 */
export async function loadClipTokenizer(
  dir: string,
  options: LoadClipTokenizerOptions = {},
  signal?: AbortSignal,
): Promise<ClipTokenizer> {
  const vocabFile = path.join(dir, options.vocab ?? 'vocab.json');
  const mergesFile = path.join(dir, options.merges ?? 'merges.txt');
  const [vocabText, mergesText] = await Promise.all([
    readText(vocabFile, signal),
    readText(mergesFile, signal),
  ]);
  throwIfAborted(signal);
  let parsed: Record<string, number>;
  try {
    parsed = JSON.parse(vocabText) as Record<string, number>;
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${vocabFile}: not valid JSON (${(err as Error).message})`);
  }
  const vocab = new Map<string, number>();
  const idToToken: string[] = [];
  for (const tok in parsed) {
    const id = parsed[tok]!;
    if (!Number.isInteger(id) || id < 0)
      throw new AppError('INVALID_INPUT', `${vocabFile}: id of "${tok}" is not a non-negative integer`);
    vocab.set(tok, id);
    idToToken[id] = tok;
  }
  if (vocab.get('<|startoftext|>') !== CLIP_SOT || vocab.get('<|endoftext|>') !== CLIP_EOT) {
    throw new AppError(
      'INVALID_INPUT',
      `${vocabFile}: not a CLIP vocabulary (<|startoftext|> must be ${CLIP_SOT}, <|endoftext|> ${CLIP_EOT})`,
    );
  }
  const ranks = new Map<string, number>();
  const lines = mergesText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '' || (i === 0 && line.startsWith('#version'))) continue;
    const sp = line.indexOf(' ');
    if (sp <= 0 || line.indexOf(' ', sp + 1) !== -1) {
      throw new AppError('INVALID_INPUT', `${mergesFile}: line ${i + 1} is not a "left right" merge pair`);
    }
    if (!ranks.has(line)) ranks.set(line, ranks.size);
  }
  return new BpeClipTokenizer(vocab, idToToken, ranks, options.convention ?? 'openai');
}
