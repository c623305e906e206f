import { HTML5_NAMED, INVALID_CHARREFS, INVALID_CODEPOINTS } from './html-entities-table';

// The same character-reference grammar as Python's html.unescape (CPython Lib/html/__init__.py),
// which OpenAI's CLIP cleaning relies on: numeric refs with or without ';', and named refs of up
// to 32 characters whose longest known prefix is replaced.
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

function replaceCharref(ref: string): string {
  if (ref[0] === '#') {
    const hex = ref[1] === 'x' || ref[1] === 'X';
    const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '');
    // Python's int() has no overflow; anything past U+10FFFF becomes U+FFFD either way.
    const big = BigInt(hex ? `0x${digits}` : digits);
    if (big > 0x10ffffn) return '\ufffd';
    const num = Number(big);
    const remapped = INVALID_CHARREFS[String(num)];
    if (remapped !== undefined) return remapped;
    if (num >= 0xd800 && num <= 0xdfff) return '\ufffd';
    if (INVALID_CODEPOINTS.has(num)) return '';
    return String.fromCodePoint(num);
  }
  const full = HTML5_NAMED[ref];
  if (full !== undefined) return full;
  // Legacy entities may appear without ';' ("&ampx" is "&x"): take the longest known prefix.
  for (let x = ref.length - 1; x > 1; x--) {
    const hit = HTML5_NAMED[ref.slice(0, x)];
    if (hit !== undefined) return hit + ref.slice(x);
  }
  return `&${ref}`;
}

/**
 * Decodes HTML character references exactly as Python's `html.unescape` does
 * (named HTML5 entities, decimal/hex references, cp1252 remapping of &#128;–&#159;).
 */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARREF, (_m, ref: string) => replaceCharref(ref));
}
