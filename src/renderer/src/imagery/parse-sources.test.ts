import { describe, expect, it } from 'vitest';
import { baseName, parseSources } from './parse-sources';

describe('parseSources', () => {
  it('takes one source per line, trimming blanks, quotes and file:// URLs', () => {
    expect(
      parseSources('  /a/B02.tif\r\n\n"/a/my B03.tif"\nfile:///a/B%2004.tif\nhttps://x.org/s.tif?sig=1 \n'),
    ).toEqual(['/a/B02.tif', '/a/my B03.tif', '/a/B 04.tif', 'https://x.org/s.tif?sig=1']);
    expect(parseSources(' \n ')).toEqual([]);
  });
  it('names a source by its last segment', () => {
    expect(baseName('https://x.org/dir/item.json?sig=1')).toBe('item.json');
    expect(baseName('C:\\data\\naip.tif')).toBe('naip.tif');
  });
});
