import type { PreloadBridge } from '../api/ipc-transport';

/** What a preload may add for drops: Electron's `webUtils.getPathForFile`, since File.path is gone. */
interface PreloadWithPaths extends PreloadBridge {
  pathForFile?(file: File): string;
}

export const DROP_NEEDS_DESKTOP = 'Drag-and-drop needs the desktop app; paste the file path instead';

/** The local paths of dropped files, or why they cannot be known (always so in a browser). */
export function droppedPaths(files: FileList): { paths: string[] } | { message: string } {
  const list = [...files];
  if (list.length === 0)
    return { message: 'Nothing to open in this drop: drop image files (GeoTIFF, STAC .json).' };
  const bridge = window.graft as PreloadWithPaths | undefined;
  const names = list.map((f) => f.name).join(', ');
  if (!bridge?.pathForFile) return { message: `${DROP_NEEDS_DESKTOP} (${names}).` };
  const paths = list.map((f) => bridge.pathForFile!(f)).filter((p) => p.length > 0);
  if (paths.length !== list.length)
    return { message: `No local path for ${names}: paste the file path instead.` };
  return { paths };
}
