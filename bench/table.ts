/** One line of a benchmark table: a measurement, its reference from the same run, and their ratio. */
export interface BenchRow {
  bench: string;
  case: string;
  ours: string; // formatted measurement with unit
  reference: string; // what it is compared with, formatted
  ratio: number | null; // ours / reference in time (lower is better) unless `note` says otherwise
  note?: string;
}

export function printTable(rows: BenchRow[]): void {
  const head = ['bench', 'case', 'ours', 'reference', 'ratio', 'note'];
  const cells = rows.map((r) => [
    r.bench,
    r.case,
    r.ours,
    r.reference,
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}

/** Median wall time in ms of `fn` over `n` runs (after one warm-up). */
export async function medianMs(n: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}
