/**
 * GPT-2/CLIP byte-level alphabet: each of the 256 byte values gets a printable Unicode
 * character, so BPE merges can work on strings without whitespace or control characters.
 * Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards.
 * Returns the table indexed by byte (length 256).
 */
export function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b); // '!'..'~'
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b); // '¡'..'¬'
  for (let b = 0xae; b <= 0xff; b++) keep.push(b); // '®'..'ÿ'
  const table = new Array<string>(256);
  for (const b of keep) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  }
  return table;
}

/** Inverse of {@link bytesToUnicode}: byte-alphabet character → byte value. */
export function unicodeToBytes(): Map<string, number> {
  const map = new Map<string, number>();
  bytesToUnicode().forEach((ch, b) => map.set(ch, b));
  return map;
}
