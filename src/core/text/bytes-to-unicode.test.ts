import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../util/paths';
import { bytesToUnicode, unicodeToBytes } from './bytes-to-unicode';

describe('bytesToUnicode', () => {
  it('is a bijection onto printable characters', () => {
    const table = bytesToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table.every((c) => !/[\s\p{C}]/u.test(c))).toBe(true);
    const back = unicodeToBytes();
    table.forEach((c, b) => expect(back.get(c)).toBe(b));
  });

  const vocabFile = path.join(sharedDataDir(), 'clip-tokenizer', 'vocab.json');
  it.skipIf(!fs.existsSync(vocabFile))(
    'gives the 256 single-byte tokens of CLIP vocab.json (ids 0–255, 256–511 with </w>)',
    () => {
      const vocab = JSON.parse(fs.readFileSync(vocabFile, 'utf8')) as Record<string, number>;
      const single = Object.entries(vocab)
        .filter(([, id]) => id < 256)
        .map(([t]) => t);
      expect(new Set(single)).toEqual(new Set(bytesToUnicode()));
      for (const c of bytesToUnicode()) expect(vocab[`${c}</w>`]).toBe(vocab[c]! + 256);
    },
  );
});
