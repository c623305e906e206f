import { describe, expect, it } from 'vitest';
import type { FlagSpec } from './command';
import { flagNumber, parseArgs } from './parse-args';

const specs: FlagSpec[] = [
  { name: 'port', type: 'string', description: '' },
  { name: 'open', type: 'boolean', description: '' },
  { name: 'point', type: 'multi', description: '' },
  { name: 'output', alias: 'o', type: 'string', description: '' },
];

describe('parseArgs', () => {
  it('reads positionals, values, repeated flags, aliases and --x=y', () => {
    const a = parseArgs(
      [
        'a.tif',
        '--port',
        '0',
        '--open',
        '--point',
        '-122.4,37.8',
        '--point=1,2,0',
        '-o',
        'out.geojson',
        'b.tif',
      ],
      specs,
    );
    expect(a.positionals).toEqual(['a.tif', 'b.tif']);
    expect(a.flags).toEqual({
      port: '0',
      open: true,
      point: ['-122.4,37.8', '1,2,0'],
      output: 'out.geojson',
    });
  });
  it('names unknown options and missing values', () => {
    expect(() => parseArgs(['--prot', '1'], specs)).toThrow('unknown option --prot');
    expect(() => parseArgs(['--port'], specs)).toThrow('option --port needs a value');
  });
  it('validates numbers', () => {
    expect(() => flagNumber(parseArgs(['--port', 'abc'], specs), 'port', { int: true, min: 0 })).toThrow(
      /--port must be an integer >= 0, got "abc"/,
    );
    expect(flagNumber(parseArgs(['--port', '8080'], specs), 'port', { int: true })).toBe(8080);
  });
});
