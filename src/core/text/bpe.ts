/**
 * Byte-pair encoding of one pre-token with CLIP's word-end marker: the last symbol carries
 * `</w>`, then the lowest-ranked adjacent pair is merged (every occurrence, left to right) until
 * no ranked pair is left. The same loop as OpenAI's simple_tokenizer.bpe.
 * `ranks` maps "left right" (one space; the byte alphabet has no space) to merge priority.
 */
export function bpeWord(token: string, ranks: ReadonlyMap<string, number>): string[] {
  // Byte-alphabet characters are all below U+0200, so UTF-16 units are whole symbols.
  let word = token.split('');
  if (word.length === 0) return [];
  word[word.length - 1] += '</w>';
  while (word.length > 1) {
    let best = Infinity;
    let first = '';
    let second = '';
    for (let i = 0; i < word.length - 1; i++) {
      const r = ranks.get(word[i] + ' ' + word[i + 1]);
      if (r !== undefined && r < best) {
        best = r;
        first = word[i]!;
        second = word[i + 1]!;
      }
    }
    if (best === Infinity) break;
    const merged: string[] = [];
    for (let i = 0; i < word.length;) {
      if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
        merged.push(first + second);
        i += 2;
      } else {
        merged.push(word[i]!);
        i += 1;
      }
    }
    word = merged;
  }
  return word;
}
