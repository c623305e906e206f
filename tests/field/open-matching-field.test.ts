import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createField } from '../../src/core/field/field-store';
import { openMatchingField } from '../../src/core/field/open-matching-field';
import { testMeta, tmpDir } from './helpers';

describe('openMatchingField: reuse, refuse or replace an existing field', () => {
  const mismatch = (m: { rows: number; cols: number }) => `made differently (grid ${m.rows}x${m.cols})`;

  it('returns null where there is no field, and clears a half-created one', async () => {
    const dir = path.join(tmpDir('omf-none'), 'f');
    expect(await openMatchingField(dir, () => true, { replace: false, mismatch })).toBeNull();
    fs.mkdirSync(path.join(dir, 'embeddings'), { recursive: true }); // no group zarr.json
    expect(await openMatchingField(dir, () => true, { replace: false, mismatch })).toBeNull();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('reuses a matching field, refuses a different one, and replaces it only when asked', async () => {
    const dir = path.join(tmpDir('omf'), 'f');
    await createField(dir, testMeta(10, 12, 8));
    const same = await openMatchingField(dir, (m) => m.rows === 10 && m.cols === 12, {
      replace: false,
      mismatch,
    });
    expect(same?.meta.rows).toBe(10);
    await expect(
      openMatchingField(dir, (m) => m.rows === 99, { replace: false, mismatch }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${dir}: made differently (grid 10x12); re-run with --reindex to replace it`,
    });
    expect(fs.existsSync(path.join(dir, 'zarr.json'))).toBe(true); // refused: nothing lost
    expect(await openMatchingField(dir, (m) => m.rows === 99, { replace: true, mismatch })).toBeNull();
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.old-'))).toEqual([]);
  });
});
