import { HTML5_NAMED } from './html-entities-table';
import { htmlUnescape } from './html-unescape';

// The deterministic parts of ftfy 6's `fix_text` defaults (what OpenAI's CLIP cleaning runs first).
// Left out on purpose: mojibake repair (fix_encoding's heuristic re-decoding of UTF-8 read as
// Latin-1/cp1252, ~1 MB of tables and a badness model) and terminal-escape removal. Text that is
// not mojibake comes out the same as with ftfy.

// ftfy.chardata.LIGATURES: Latin ligatures are nearly always copy/paste artefacts.
const LIGATURES: Record<string, string> = {
  Ĳ: 'IJ',
  ĳ: 'ij',
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'ſt',
  ﬆ: 'st',
};
const LIGATURE_RE = /[Ĳĳﬀ-ﬆ]/gu;
// ftfy.chardata.WIDTH_MAP: halfwidth/fullwidth forms (U+FF01–U+FFEF) to their NFKC form,
// and U+3000 IDEOGRAPHIC SPACE to a plain space.
const WIDTH_RE = /[\u3000\uff01-\uffef]/gu;
// ftfy.chardata.SINGLE_QUOTE_RE / DOUBLE_QUOTE_RE (uncurl_quotes).
const SINGLE_QUOTE_RE = /[\u2018-\u201b]/gu;
const DOUBLE_QUOTE_RE = /[\u201c-\u201f]/gu;
// ftfy.fixes.fix_line_breaks.
const LINE_BREAK_RE = /\r\n|[\r\u2028\u2029\x85]/gu;
// ftfy.chardata.CONTROL_CHARS (remove_control_chars); C1 controls are handled by the cp1252 step.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc\u{1d173}-\u{1d17a}]/gu;
// ftfy.fixes.fix_c1_controls: a stray C1 control is a byte of cp1252 text decoded as Latin-1.
const C1_RE = /[\x80-\x9f]/gu;
const CP1252_80_9F =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';
// ftfy.fixes.fix_surrogates (no 'u' flag: it must see the halves of a pair).
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// ftfy.fixes.unescape_html: only complete, ';'-terminated references.
const FTFY_ENTITY_RE = /&#?[0-9A-Za-z]{1,24};/g;

function ftfyUnescapeHtml(text: string): string {
  return text.replace(FTFY_ENTITY_RE, (ref) => {
    if (ref[1] === '#') {
      const decoded = htmlUnescape(ref);
      return decoded.includes(';') ? ref : decoded;
    }
    const name = ref.slice(1);
    return HTML5_NAMED[name] ?? HTML5_NAMED[name.toLowerCase()] ?? ref;
  });
}

function fixOnce(text: string, unescapeHtml: boolean): string {
  if (unescapeHtml) text = ftfyUnescapeHtml(text);
  text = text.replace(C1_RE, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
  text = text.replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c);
  text = text.replace(WIDTH_RE, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
  text = text.replace(SINGLE_QUOTE_RE, "'").replace(DOUBLE_QUOTE_RE, '"');
  text = text.replace(LINE_BREAK_RE, '\n');
  text = text.replace(LONE_SURROGATE_RE, '\ufffd'); // fix_surrogates
  text = text.replace(CONTROL_RE, '');
  return text.normalize('NFC');
}

/**
 * ftfy-like `fix_text` without mojibake repair: HTML entities (only when the text has no '<',
 * ftfy's 'auto' rule), cp1252 C1 controls, Latin ligatures, full/halfwidth forms, curly quotes,
 * line breaks, lone surrogates, unwanted control characters, then NFC; repeated to a fixed point.
 */
export function ftfyLite(text: string): string {
  const unescapeHtml = !text.includes('<');
  for (let i = 0; i < 8; i++) {
    const next = fixOnce(text, unescapeHtml);
    if (next === text) break;
    text = next;
  }
  return text;
}
