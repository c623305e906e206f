import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { openField } from './field-store';
import type { Field, FieldMeta } from './field-types';

/**
 * The field in `dir` when one exists and was made the way the caller wants now (`matches`), so
 * an indexing run resumes it. A field made differently is refused with INVALID_INPUT
 * (`mismatch` says how it differs), or with `replace` moved aside and deleted (renamed first, so
 * a half-deleted folder never looks like a field). Returns null when there is no field to reuse;
 * any half-created leftover (no group zarr.json) is removed, and the caller creates a new one.
 */
export async function openMatchingField(
  dir: string,
  matches: (meta: FieldMeta) => boolean,
  opts: { replace: boolean; mismatch: (meta: FieldMeta) => string },
  signal?: AbortSignal,
): Promise<Field | null> {
  const exists = await fs.stat(path.join(dir, 'zarr.json')).then(
    () => true,
    () => false,
  );
  if (exists) {
    const f = await openField(dir, signal);
    if (matches(f.meta)) return f;
    if (!opts.replace)
      throw new AppError(
        'INVALID_INPUT',
        `${dir}: ${opts.mismatch(f.meta)}; re-run with --reindex to replace it`,
      );
    const trash = `${dir}.old-${process.pid}-${Date.now()}`;
    await fs.rename(dir, trash);
    await fs.rm(trash, { recursive: true, force: true });
  }
  await fs.rm(dir, { recursive: true, force: true });
  return null;
}
