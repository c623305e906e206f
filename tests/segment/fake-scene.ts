import type { SegmentableScene } from '../../src/core/segment/segment-scene';
import type { PixelWindow, WindowData } from '../../src/core/imagery/scene';

/**
 * An in-memory scene over generated bands (UTM zone 14N, 5 m pixels unless told) with the parts of Scene
 * the segmentation pipeline uses; readWindow pads outside the raster with valid = 0 like Scene.
 */
export function fakeScene(
  bands: Float32Array[],
  width: number,
  height: number,
  names = ['R', 'G', 'B'],
  opts: { pixelM?: number } = {},
): SegmentableScene & { fromWgs84(lon: number, lat: number): [number, number] } {
  const px = opts.pixelM ?? 5;
  const gt: [number, number, number, number, number, number] = [485899, px, 0, 5209246, 0, -px];
  return {
    id: 'fake',
    name: 'fake-scene',
    width,
    height,
    geoTransform: gt,
    crs: { epsg: 26914, proj4: '+proj=utm +zone=14 +datum=NAD83 +units=m +no_defs' },
    resolutionM: [px, px],
    date: '2020-08-31',
    bands: names.map((name) => ({ name, dataType: 'float32' })),
    fromWgs84: () => {
      throw new Error('not used');
    },
    async readWindow(win: PixelWindow, opts: { bands?: string[] } = {}): Promise<WindowData> {
      const idx = (opts.bands ?? names).map((n) => names.indexOf(n));
      const n = win.width * win.height;
      const data = idx.map(() => new Float32Array(n));
      const valid = new Uint8Array(n);
      for (let y = 0; y < win.height; y++)
        for (let x = 0; x < win.width; x++) {
          const sx = x + win.x;
          const sy = y + win.y;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          valid[y * win.width + x] = 1;
          idx.forEach((b, k) => (data[k][y * win.width + x] = bands[b][sy * width + sx]));
        }
      return { width: win.width, height: win.height, data, valid };
    },
  } as unknown as SegmentableScene & { fromWgs84(lon: number, lat: number): [number, number] };
}
