/**
 * Inputs of tests/fixtures/tokenizer-vectors.json. `ftfyEquivalent` is what ftfy.fix_text makes of
 * `text` (from ftfy's documented tables: curly quotes, ligatures, full width, control characters,
 * NFC, a third HTML unescape when the text has no '<'); the OpenAI reference runs on it because
 * ftfy itself is not available here. `mojibake` cases need ftfy's heuristic re-decoding, which we
 * do not implement: they carry HF ids only. `hfReferenceWrong` cases carry OpenAI ids only.
 */
export interface EdgeCase {
  name: string;
  text: string;
  ftfyEquivalent?: string;
  mojibake?: boolean;
  /** Why tokenizers.js is not a valid HF reference for this text (the case then has no hf ids). */
  hfReferenceWrong?: string;
  note?: string;
}

const LONG =
  'Aerial imagery of a suburban neighbourhood with swimming pools, solar panels on the rooftops, ' +
  'tennis courts, a baseball diamond, center-pivot irrigation circles beyond the highway, ' +
  'a river with a sandbar, parking lots full of cars, greenhouses, a wastewater treatment plant ' +
  'with round clarifiers, and a quarry with terraced benches; captured at 0.6 m ground sample ' +
  'distance by NAIP in 2022, four bands (red, green, blue, near-infrared).';

export const EDGE_CASES: EdgeCase[] = [
  { name: 'plain query', text: 'swimming pools' },
  { name: 'gis query', text: 'Center-pivot irrigation, NDVI > 0.6 (10 m Sentinel-2 L2A)' },
  { name: 'accents NFC', text: 'Café crème brûlée à la façade São Paulo Zürich' },
  {
    name: 'accents NFD',
    text: 'Cafe\u0301 cre\u0300me',
    ftfyEquivalent: 'Café crème',
    note: 'ftfy and HF both apply NFC',
  },
  { name: 'emoji', text: '🛰️ satellite 🌊🌲🏠 👨‍👩‍👧 🇺🇸 ❤️' },
  { name: 'CJK', text: '東京の衛星画像 北京2024年 서울 위성 ひらがなカタカナ' },
  { name: 'scripts with marks', text: 'Москва مرحبا हिन्दी ภาษาไทย' },
  { name: 'punctuation runs', text: "!!!???...;;; a--b__c (((x))) #tag @user $100 50% a&b ...'s" },
  { name: 'numbers', text: '123456789 3.14159 1,000 km² -12.5e3 0x1F ½ ² ٣ Ⅻ' },
  {
    name: 'apostrophes',
    text: "don't won't they're I've we'd you'll it's O'Neil's rock'n'roll ''s 'S DON'T",
  },
  { name: 'long s after apostrophe', text: "it'ſ", note: "OpenAI's re.IGNORECASE lets 's match 'ſ" },
  {
    name: 'greek final sigma',
    text: 'ΟΔΟΣ ΣΑΣ Σ',
    note: 'Python/JS lower() gives ς at a word end; HF lower-cases per character (σ)',
    hfReferenceWrong:
      'tokenizers.js lower-cases with String.toLowerCase (ς) where Rust tokenizers gives σ; the public golden "ΟΔΟΣ ΣΑΣ İstanbul" pins the Rust result',
  },
  { name: 'turkish dotted I', text: 'İSTANBUL Kelvin K' },
  {
    name: 'html entities',
    text: '&amp; &lt;tag&gt; &quot;q&quot; &#39;s &#x263A; a&nbsp;b &copy 2024 AT&T &notanentity; &#128; &#0;',
  },
  { name: 'html double escaped', text: 'fish &amp;amp; chips &amp;lt;3' },
  {
    name: 'html triple escaped',
    text: 'fish &amp;amp;amp; chips',
    ftfyEquivalent: 'fish & chips',
    note: 'ftfy unescapes once more when the text has no "<"',
  },
  {
    name: 'html curly entity',
    text: '&ldquo;quoted&rdquo;',
    ftfyEquivalent: '"quoted"',
    note: 'ftfy unescapes, then uncurls',
  },
  {
    name: 'html curly entity with tag',
    text: '<b>&ldquo;quoted&rdquo;</b>',
    note: 'a "<" stops ftfy from unescaping: the quotes stay curly',
  },
  {
    name: 'curly quotes',
    text: '“smart quotes” and ’apostrophes’ ‘x’',
    ftfyEquivalent: "\"smart quotes\" and 'apostrophes' 'x'",
  },
  { name: 'fullwidth', text: 'ＡＢＣ１２３ （全角）', ftfyEquivalent: 'ABC123 (全角)' },
  { name: 'ligatures', text: 'ﬁeld ﬂood ﬀ', ftfyEquivalent: 'field flood ff' },
  { name: 'control characters', text: 'a\x00b\x07c\x1fd\x7fe', ftfyEquivalent: 'abcde' },
  {
    name: 'C1 control',
    text: 'x\x85y \x93q\x94',
    ftfyEquivalent: 'x…y "q"',
    note: 'ftfy reads C1 controls as cp1252, then uncurls',
  },
  { name: 'byte order mark', text: '\ufeffbom', ftfyEquivalent: 'bom' },
  { name: 'zero width and soft hyphen', text: 'zero\u200bwidth soft\u00adhyphen' },
  {
    name: 'unicode spaces',
    text: 'a\u00a0b\u2003c\u3000d\u2028e\x0bf\x0cg\x1ch',
    ftfyEquivalent: 'a\u00a0b\u2003c d\nef\x0cgh',
  },
  {
    name: 'mojibake',
    text: 'cafÃ© Ã  la mode',
    mojibake: true,
    note: 'ftfy would repair this to "café à la mode"',
  },
  { name: 'empty', text: '' },
  { name: 'whitespace only', text: '  \t\n  \u00a0 ' },
  { name: 'endoftext literal', text: '<|endoftext|>' },
  { name: 'special tokens inline', text: '<|startoftext|>hello<|endoftext|>world<|endoftext|><|endoftext|>' },
  {
    name: 'special tokens case',
    text: '<|EndOfText|> <|StartOfText|> <|ENDOFTEXT|>',
    note: 'OpenAI lower-cases first; HF matches <|endoftext|> case-sensitively',
  },
  {
    name: 'special token after punctuation',
    text: 'a !!<|endoftext|> b',
    note: 'OpenAI splits "!!<|" as one punctuation run; HF cuts the added token out first',
  },
  { name: 'partial special token', text: '<|endoftext <|startoftext' },
  { name: 'long text', text: LONG },
  { name: 'long repeated', text: Array.from({ length: 120 }, () => 'pool').join(' ') },
  { name: 'very long word', text: 'supercalifragilisticexpialidocious'.repeat(6) },
];
