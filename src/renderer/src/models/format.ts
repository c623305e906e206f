/** "1.4 MB" style sizes (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

const ROLE_LABELS: Record<string, string> = {
  patch_encoder: 'patch encoder',
  image_encoder: 'image encoder',
  text_encoder: 'text encoder',
  sam_image_encoder: 'SAM image encoder',
  sam_prompt_decoder: 'SAM prompt decoder',
};

export const roleLabel = (r: string) => ROLE_LABELS[r] ?? r;

const SENSOR_LABELS: Record<string, string> = { naip: 'NAIP', sentinel2: 'Sentinel-2', rgb: 'RGB', any: 'any sensor' };
export const sensorLabel = (s: string) => SENSOR_LABELS[s] ?? s;

/** Ground sample distance: "1 m", "0.6 m", "10 m". */
export const formatGsd = (m: number) => `${Number(m.toPrecision(3))} m/pixel`;

export const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0);
