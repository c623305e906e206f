import { STARTER_VOCABULARY } from '../models/starter-vocabulary';
import { errorCode, errorText } from '../search/error-text';

/**
 * The message for a failed classification. A label the starter pack does not know gets the
 * pack's concept list (names with their synonyms) instead of the host's flat list of every
 * accepted word, which is long; other errors read as everywhere else.
 */
export function classifyErrorText(err: unknown, starter: boolean): string {
  if (errorCode(err) !== 'UNKNOWN_CONCEPT' || !starter) return errorText(err);
  const msg = err instanceof Error ? err.message : String(err);
  // The host's message: '<what>: the starter pack knows: <every word>; install …'.
  const what = msg.split(': the starter pack knows')[0];
  const known = STARTER_VOCABULARY.map((c) => `${c.name} (${c.examples})`).join('; ');
  return `Not a starter-pack concept — ${what}. It knows these concepts: ${known}. Install a GRAFT pack (Models tab) for open vocabulary.`;
}
