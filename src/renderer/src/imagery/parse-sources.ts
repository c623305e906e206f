/**
 * Turns the dialog's text into the sources of ONE scene: one path or URL per line, blank
 * lines and surrounding quotes ("Copy as path" on Windows adds them) dropped, file:// URLs
 * turned into paths.
 */
export function parseSources(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) =>
      l
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2')
        .trim(),
    )
    .filter((l) => l.length > 0)
    .map((l) => (l.startsWith('file://') ? decodeURIComponent(new URL(l).pathname) : l));
}

/** Last path segment of a path or URL, for short labels. */
export function baseName(source: string): string {
  const clean = source.replace(/[?#].*$/, '').replace(/[\\/]+$/, '');
  return clean.split(/[\\/]/).pop() || source;
}
