import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atomicWriteFile } from './atomic-write';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-write-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('atomicWriteFile', () => {
  it('writes and replaces a file, leaving no temp file', async () => {
    const p = path.join(dir, 'a.txt');
    await atomicWriteFile(p, 'one');
    await atomicWriteFile(p, new TextEncoder().encode('two'));
    expect(fs.readFileSync(p, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });

  it('names the path and reason when the folder is missing or a file', async () => {
    await expect(atomicWriteFile(path.join(dir, 'nope', 'a.txt'), 'x')).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/nope.*a\.txt: cannot write \(the folder does not exist, ENOENT\)/),
    });
    fs.writeFileSync(path.join(dir, 'file'), '');
    await expect(atomicWriteFile(path.join(dir, 'file', 'a.txt'), 'x')).rejects.toMatchObject({ code: 'IO' });
  });

  it('keeps an existing target and removes its temp file when the rename fails', async () => {
    const target = path.join(dir, 'is-a-folder');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'keep');
    await expect(atomicWriteFile(target, 'x')).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringContaining('is-a-folder'),
    });
    expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('keep');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects with CANCELLED before writing when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(atomicWriteFile(path.join(dir, 'c.txt'), 'x', {}, ac.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(fs.existsSync(path.join(dir, 'c.txt'))).toBe(false);
  });
});
