import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLIP_EOT,
  CLIP_SOT,
  loadClipTokenizer,
  type ClipTokenizer,
} from '../../src/core/text/clip-tokenizer';
import { HAVE_TOKENIZER, TOKENIZER_DIR, VECTORS_FILE } from './tokenizer-data';

interface VectorCase {
  name: string;
  text: string;
  hf: number[] | null;
  openai: number[] | null;
}
const vectors = JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')) as { cases: VectorCase[] };
const conventions = ['hf', 'openai'] as const;

describe.skipIf(!HAVE_TOKENIZER)(
  'CLIP tokenizer vs reference edge-case vectors (tests/fixtures/tokenizer-vectors.json)',
  () => {
    let tok: ClipTokenizer;
    beforeAll(async () => {
      tok = await loadClipTokenizer(TOKENIZER_DIR);
    });

    for (const convention of conventions) {
      for (const c of vectors.cases) {
        const want = c[convention];
        it.skipIf(want === null)(`${convention}: ${c.name}`, () => {
          expect(
            tok.encode(c.text, { convention, pad: 'none', truncate: false, contextLength: 10_000 }),
          ).toEqual(want);
        });
      }
    }

    it('truncates to 77 keeping the end token, and pads both ways', () => {
      const long = vectors.cases.find((c) => c.name === 'long text')!;
      for (const convention of conventions) {
        const ref = long[convention]!;
        const ids = tok.encode(long.text, { convention, pad: 'none' });
        expect(ids).toEqual([...ref.slice(0, 76), CLIP_EOT]);
        expect(() => tok.encode(long.text, { convention, truncate: false })).toThrow(
          /longer than the context length 77/,
        );
      }
      const short = vectors.cases.find((c) => c.name === 'plain query')!;
      const zeros = tok.encode(short.text, { pad: 'zeros' });
      const eots = tok.encode(short.text, { pad: 'eot', convention: 'hf' });
      expect(zeros).toEqual([...short.openai!, ...new Array(77 - short.openai!.length).fill(0)]);
      expect(eots).toEqual([...short.hf!, ...new Array(77 - short.hf!.length).fill(CLIP_EOT)]);
      const gis = vectors.cases.find((c) => c.name === 'gis query')!;
      expect(tok.encode(gis.text, { contextLength: 5 })).toEqual([...gis.openai!.slice(0, 4), CLIP_EOT]);
    });

    it('encodeBatch gives row-major int64 [N, contextLength]', () => {
      const texts = vectors.cases.slice(0, 5).map((c) => c.text);
      const batch = tok.encodeBatch(texts, { pad: 'eot', convention: 'hf' });
      expect(batch).toBeInstanceOf(BigInt64Array);
      expect(batch.length).toBe(5 * 77);
      texts.forEach((t, i) => {
        expect(Array.from(batch.subarray(i * 77, (i + 1) * 77), Number)).toEqual(
          tok.encode(t, { pad: 'eot', convention: 'hf' }),
        );
      });
    });

    it('decode inverts encode on cleaned text and drops padding', () => {
      expect(tok.vocabSize).toBe(49408);
      const text = "A photo of 3 swimming-pools, isn't it? 東京 🛰️";
      expect(tok.decode(tok.encode(text))).toBe("a photo of 3 swimming - pools , isn 't it ? 東京 🛰️");
      expect(tok.decode(tok.encodeBatch([text], { pad: 'eot' }))).toBe(tok.decode(tok.encode(text)));
      expect(tok.decode([CLIP_SOT, 320, CLIP_EOT], { skipSpecial: false })).toBe(
        '<|startoftext|>a <|endoftext|>',
      );
    });
  },
);
