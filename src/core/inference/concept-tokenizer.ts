import fs from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';

interface ConceptsFile {
  stopwords?: string[];
  concepts: { id: number; name: string; synonyms: string[] }[];
}

export interface ConceptTokenizer {
  /** Every word/phrase the pack knows, for messages and UI hints. */
  readonly known: string[];
  /** Concept ids (1-based; 0 is padding) found in `text`, in order. Throws UNKNOWN_CONCEPT for any other word. */
  concepts(text: string): number[];
  /** input_ids int64[N, contextLength]: concept ids then zeros. */
  encodeBatch(texts: readonly string[], contextLength: number): BigInt64Array;
}

const MAX_PHRASE = 3;

/** Loads a starter-style concepts.json (see src/core/starter-pack/README.md). */
export async function loadConceptTokenizer(file: string, signal?: AbortSignal): Promise<ConceptTokenizer> {
  throwIfAborted(signal);
  let parsed: ConceptsFile;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8')) as ConceptsFile;
    if (!Array.isArray(parsed.concepts)) throw new Error('no "concepts" array');
  } catch (e) {
    throw new AppError('PACK_INVALID', `${file}: not a concepts file (${(e as Error).message})`);
  }
  const phrases = new Map<string, number>();
  for (const c of parsed.concepts)
    for (const s of [c.name, ...c.synonyms]) phrases.set(s.toLowerCase().replace(/-/g, ' '), c.id);
  const stop = new Set(parsed.stopwords ?? []);
  const known = [...new Set(parsed.concepts.flatMap((c) => [c.name, ...c.synonyms]))];

  const concepts = (text: string): number[] => {
    const words = text
      .toLowerCase()
      .replace(/[^a-z\s-]/g, ' ')
      .replace(/-/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    const ids: number[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < words.length;) {
      let matched = 0;
      for (let len = Math.min(MAX_PHRASE, words.length - i); len >= 1 && !matched; len--) {
        const phrase = words.slice(i, i + len).join(' ');
        const id =
          phrases.get(phrase) ?? (len === 1 ? phrases.get(phrase.replace(/(es|s)$/, '')) : undefined);
        if (id !== undefined) {
          if (!ids.includes(id)) ids.push(id);
          matched = len;
        }
      }
      if (!matched) {
        if (!stop.has(words[i])) unknown.push(words[i]);
        matched = 1;
      }
      i += matched;
    }
    if (unknown.length > 0 || ids.length === 0) {
      const what =
        unknown.length > 0
          ? `unknown word(s) ${unknown.map((u) => `"${u}"`).join(', ')} in "${text}"`
          : `no concept in "${text}"`;
      throw new AppError(
        'UNKNOWN_CONCEPT',
        `${what}: the starter pack knows: ${known.join(', ')}; install a GRAFT pack for open vocabulary`,
        { unknown, known },
      );
    }
    return ids;
  };

  return {
    known,
    concepts,
    encodeBatch(texts, contextLength) {
      const out = new BigInt64Array(texts.length * contextLength);
      texts.forEach((t, r) =>
        concepts(t)
          .slice(0, contextLength)
          .forEach((id, k) => (out[r * contextLength + k] = BigInt(id))),
      );
      return out;
    },
  };
}
