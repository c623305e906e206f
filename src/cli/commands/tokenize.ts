import path from 'node:path';
import type { Command } from '../command';
import { flagNumber, flagString } from '../parse-args';
import { loadClipTokenizer, type ClipConvention } from '../../core/text/clip-tokenizer';
import { findClipTokenizerDir } from '../../core/text/find-tokenizer-dir';
import { AppError } from '../../shared/errors';

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new AppError('BAD_REQUEST', `--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export const tokenizeCommand: Command = {
  name: 'tokenize',
  usage:
    'tokenize "<text>" [--pad zeros|eot|none] [--context-length 77] [--convention openai|hf] [--tokenizer-dir DIR] [--json]',
  summary:
    'print the CLIP BPE token ids of a text (start/end tokens, truncated and padded to the context length)',
  flags: [
    {
      name: 'pad',
      type: 'string',
      description: "zeros (OpenAI/open_clip), eot (Hugging Face) or none; default: the convention's own",
    },
    { name: 'context-length', type: 'string', description: 'ids per text (default 77)' },
    {
      name: 'convention',
      type: 'string',
      description: 'text cleaning: openai (ftfy-like, HTML unescape; default) or hf',
    },
    {
      name: 'tokenizer-dir',
      type: 'string',
      description:
        "folder with vocab.json and merges.txt (default: a pack's, else ../shared/data/clip-tokenizer)",
    },
  ],
  async run(args, io) {
    if (args.positionals.length !== 1)
      throw new AppError('BAD_REQUEST', 'usage: tokenize "<text>" [--pad zeros|eot] [--json]');
    const text = args.positionals[0]!;
    const pad = oneOf('pad', flagString(args, 'pad'), ['zeros', 'eot', 'none'] as const);
    const convention = oneOf<ClipConvention>('convention', flagString(args, 'convention'), ['openai', 'hf']);
    const contextLength = flagNumber(args, 'context-length', { int: true, min: 2, max: 100_000 }) ?? 77;
    const given = flagString(args, 'tokenizer-dir');
    const dir = given !== undefined ? path.resolve(given) : findClipTokenizerDir();
    const tok = await loadClipTokenizer(dir, { convention });
    const ids = tok.encode(text, { pad, contextLength });
    if (io.jsonMode) {
      io.json({
        text,
        convention: tok.convention,
        pad: pad ?? (tok.convention === 'openai' ? 'zeros' : 'eot'),
        contextLength,
        tokenizerDir: dir,
        ids,
      });
    } else {
      io.out(ids.join(' '));
    }
    return 0;
  },
};
