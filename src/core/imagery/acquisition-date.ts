/**
 * Acquisition date (YYYY-MM-DD) from the best evidence available, in this order: a STAC datetime,
 * a GDAL metadata item (ACQUISITIONDATETIME, DATATAKE_SENSING_START…), a `_YYYYMMDD_` token in a
 * file name, then the TIFF DateTime tag (which is often the processing date, hence last).
 */
export function acquisitionDate(ev: {
  stacDatetime?: string | null;
  metadata?: Record<string, string>;
  names?: string[];
  tiffDateTime?: string | null;
}): string | null {
  const iso = (s: string | null | undefined) => {
    const m = /^(\d{4})[-:](\d{2})[-:](\d{2})/.exec(s ?? '');
    return m && validDate(m[1], m[2], m[3]) ? `${m[1]}-${m[2]}-${m[3]}` : null;
  };
  const fromStac = iso(ev.stacDatetime);
  if (fromStac) return fromStac;
  for (const key of [
    'ACQUISITIONDATETIME',
    'ACQUISITION_DATE',
    'DATATAKE_1_DATATAKE_SENSING_START',
    'SENSING_TIME',
  ]) {
    const d = iso(ev.metadata?.[key]);
    if (d) return d;
  }
  for (const name of ev.names ?? []) {
    const base = name.split(/[\\/]/).pop() ?? name;
    const re = /(?:^|[_.-])((?:19|20)\d{2})(\d{2})(\d{2})(?=[_.T-]|$)/g;
    for (let m = re.exec(base); m; m = re.exec(base)) {
      if (validDate(m[1], m[2], m[3])) return `${m[1]}-${m[2]}-${m[3]}`;
    }
  }
  return iso(ev.tiffDateTime);
}

function validDate(y: string, m: string, d: string): boolean {
  const mm = Number(m);
  const dd = Number(d);
  return Number(y) >= 1970 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}
