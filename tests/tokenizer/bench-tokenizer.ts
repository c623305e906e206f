/**
 * Load and encode timings of our CLIP tokenizer against tokenizers.js (the HF reference of
 * make-vectors.ts) measured in the same run. Not a test: run
 * `node --import tsx tests/tokenizer/bench-tokenizer.ts` (needs ../shared/data/clip-tokenizer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { loadClipTokenizer } from '../../src/core/text/clip-tokenizer';
import { EDGE_CASES } from './edge-cases';
import { HAVE_TOKENIZER, TOKENIZER_DIR } from './tokenizer-data';

if (!HAVE_TOKENIZER) process.exit(0);
const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;

const loadOurs: number[] = [];
const loadRef: number[] = [];
let ours = await loadClipTokenizer(TOKENIZER_DIR);
let ref: Tokenizer | undefined;
for (let i = 0; i < 5; i++) {
  let t0 = performance.now();
  ours = await loadClipTokenizer(TOKENIZER_DIR, { convention: 'hf' });
  loadOurs.push(ms(t0));
  t0 = performance.now();
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(TOKENIZER_DIR, f), 'utf8')) as object;
  ref = new Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
  loadRef.push(ms(t0));
}

// Unique query-like strings so that the per-word memo does not hide BPE cost on the first pass.
const words = EDGE_CASES.flatMap((c) => c.text.split(/\s+/)).filter(Boolean);
const texts = Array.from(
  { length: 2000 },
  (_, i) => `${words[i % words.length]} ${words[(i * 7) % words.length]} number ${i}`,
);
function time(f: (t: string) => unknown): number {
  const t0 = performance.now();
  for (const t of texts) f(t);
  return (ms(t0) * 1000) / texts.length; // µs per string
}
const coldOurs = time((t) => ours.encode(t));
const warmOurs = time((t) => ours.encode(t));
const refTok = ref!;
const coldRef = time((t) => refTok.encode(t));
const warmRef = time((t) => refTok.encode(t));
const long = EDGE_CASES.find((c) => c.name === 'long text')!.text;
const t0 = performance.now();
const batch = ours.encodeBatch(Array.from({ length: 256 }, (_, i) => `${long} ${i}`));
const batchUs = (ms(t0) * 1000) / 256;

console.table([
  {
    what: 'load vocab+merges (ms, median of 5)',
    ours: median(loadOurs).toFixed(1),
    tokenizersJs: median(loadRef).toFixed(1),
    ratio: (median(loadOurs) / median(loadRef)).toFixed(2),
  },
  {
    what: 'encode, first pass (µs/string)',
    ours: coldOurs.toFixed(1),
    tokenizersJs: coldRef.toFixed(1),
    ratio: (coldOurs / coldRef).toFixed(2),
  },
  {
    what: 'encode, memo warm (µs/string)',
    ours: warmOurs.toFixed(1),
    tokenizersJs: warmRef.toFixed(1),
    ratio: (warmOurs / warmRef).toFixed(2),
  },
  {
    what: `encodeBatch 256 × ~70-token text (µs/string, ${batch.length} ids)`,
    ours: batchUs.toFixed(1),
    tokenizersJs: '',
    ratio: '',
  },
]);
