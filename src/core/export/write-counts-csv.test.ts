import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, writeCountsCsv } from './write-counts-csv';

describe('writeCountsCsv', () => {
  it('quotes per RFC 4180 only when needed', () => {
    expect(csvField('pools')).toBe('pools');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('writes a header from the union of keys and CRLF line ends', async () => {
    const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csv-')), 'counts.csv');
    await writeCountsCsv(p, [
      { query: 'pools', count: 3 },
      { query: 'roofs, red', count: 0, threshold: 0.2 },
    ]);
    expect(fs.readFileSync(p, 'utf8')).toBe('query,count,threshold\r\npools,3,\r\n"roofs, red",0,0.2\r\n');
    await writeCountsCsv(p, [], { columns: ['query', 'count'] });
    expect(fs.readFileSync(p, 'utf8')).toBe('query,count\r\n');
  });
});
