import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlUnescape } from './html-unescape';

// Reference: CPython's html.unescape, which OpenAI's CLIP cleaning calls.
const PY = '/usr/bin/python3';
const SAMPLES = [
  'AT&T &amp; &lt;b&gt; &quot;x&quot; &#39;s &apos;',
  '&copy 2024 &copyx &ampx &notin; &notit; &NotAnEntity; &;',
  '&#128; &#x80; &#0; &#13; &#xD800; &#1114112; &#99999999999999999999; &#x1F600; &#65',
  '&amp;amp;amp; &eacute;&Eacute;&EACUTE; &nbsp;&NewLine;&Tab;',
  'no entities at all',
];

describe.skipIf(!fs.existsSync(PY))('htmlUnescape vs Python html.unescape', () => {
  it('matches on entity edge cases', () => {
    const want = JSON.parse(
      execFileSync(
        PY,
        ['-c', 'import html, json, sys; print(json.dumps([html.unescape(s) for s in json.load(sys.stdin)]))'],
        {
          input: JSON.stringify(SAMPLES),
        },
      ).toString(),
    ) as string[];
    expect(SAMPLES.map(htmlUnescape)).toEqual(want);
  });
});
