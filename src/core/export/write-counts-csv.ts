import { atomicWriteFile } from '../util/atomic-write';
import type { FieldValue } from './export-types';

export type CsvRow = Record<string, FieldValue | undefined>;

/** One RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(v: FieldValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes per-query counts (or any table) as RFC 4180 CSV: a header row, CRLF line ends,
 * fields quoted only when needed; null/undefined/NaN become empty fields. Atomic.
 * @param rows one object per row; columns are `opts.columns` or the union of keys in
 *   first-seen order (so an empty `rows` with no `columns` writes an empty file).
 * @throws AppError('IO') if `path` cannot be written.
 */
export async function writeCountsCsv(
  path: string,
  rows: CsvRow[],
  opts: { columns?: string[] } = {},
  signal?: AbortSignal,
): Promise<void> {
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = columns.length ? [columns.map(csvField).join(',')] : [];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c])).join(','));
  await atomicWriteFile(path, lines.length ? lines.join('\r\n') + '\r\n' : '', {}, signal);
}
