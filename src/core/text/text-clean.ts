import { ftfyLite } from './ftfy-lite';
import { htmlUnescape } from './html-unescape';

/**
 * Which reference a CLIP tokenizer reproduces.
 * - `openai`: OpenAI CLIP / open_clip `simple_tokenizer`: ftfy.fix_text, html.unescape twice,
 *   whitespace folding, strip, str.lower(); "<|endoftext|>" in any case is the special token.
 * - `hf`: Hugging Face `CLIPTokenizerFast` (tokenizer.json): NFC, whitespace folding, per-character
 *   lower-casing, no HTML or ftfy; only the exact-case "<|endoftext|>" (and "<|startoftext|>" after
 *   lower-casing) is special.
 */
export type ClipConvention = 'openai' | 'hf';

// Python's `regex` \s, Oniguruma's \s and Unicode White_Space are the same 25 characters;
// JavaScript's \s differs (it adds U+FEFF and drops U+0085), so the property is named explicitly.
const WHITESPACE_RUN = /\p{White_Space}+/gu;
// Python's str.strip() also strips U+001C–U+001F (str.isspace), unlike the regex above.
// eslint-disable-next-line no-control-regex -- those separators are control characters
const PY_STRIP_EDGES = /^[\p{White_Space}\x1c-\x1f]+|[\p{White_Space}\x1c-\x1f]+$/gu;

/**
 * OpenAI's `whitespace_clean(basic_clean(text)).lower()`, with {@link ftfyLite} standing in for
 * ftfy (identical except that mojibake is not repaired).
 */
export function cleanTextOpenAi(text: string): string {
  let t = ftfyLite(text);
  t = htmlUnescape(htmlUnescape(t)).replace(PY_STRIP_EDGES, '');
  t = t.replace(WHITESPACE_RUN, ' ').replace(PY_STRIP_EDGES, '');
  return t.toLowerCase();
}

/**
 * The normalizer of Hugging Face's CLIP tokenizer.json: NFC, `\s+` → ' ', then lower-casing one
 * character at a time (Rust `char::to_lowercase`), so a final capital sigma becomes 'σ', not 'ς'.
 * Leading/trailing spaces are kept; the pre-tokenizer drops them.
 */
export function cleanTextHf(text: string): string {
  const t = text.normalize('NFC').replace(WHITESPACE_RUN, ' ');
  // JavaScript's toLowerCase is per character except for the final-sigma rule.
  return t.replace(/Σ/g, 'σ').toLowerCase();
}
