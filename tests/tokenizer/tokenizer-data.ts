import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Tokenizer files of the shared sample data (../shared/data/clip-tokenizer), absent in a bare clone. */
export const TOKENIZER_DIR = path.resolve(repoRoot, '../shared/data/clip-tokenizer');
export const HAVE_TOKENIZER = fs.existsSync(path.join(TOKENIZER_DIR, 'vocab.json'));
export const VECTORS_FILE = path.join(repoRoot, 'tests/fixtures/tokenizer-vectors.json');
if (!HAVE_TOKENIZER)
  console.warn(`tokenizer tests skipped: ${TOKENIZER_DIR} not found (shared sample data absent)`);
