#!/usr/bin/python3
"""Generated imagery for the search tests (never committed; written under tests/.fixtures/search/).

  /usr/bin/python3 tests/search/make-search-fixtures.py <out_dir>

scene_1m.tif: 1 m/pixel, EPSG:26914, 4 bands R,G,B,NIR uint8, nodata 0, tiled with overviews,
W x H chosen so neither is a multiple of the 224-pixel chip or the 16-pixel patch, with a nodata
block covering one whole chip (skipped) and a nodata strip cutting through others (partial patches).
Smooth random fields plus a few dark "ponds" (high NDWI), deterministic (seed 7).
scene_5m.tif: the same area at 5 m (for the GSD refusal test).
"""
import sys
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def smooth(rng, h, w, scale):
    small = rng.random((h // scale + 2, w // scale + 2))
    ys = np.linspace(0, small.shape[0] - 1.001, h)
    xs = np.linspace(0, small.shape[1] - 1.001, w)
    y0 = ys.astype(int)
    x0 = xs.astype(int)
    fy = (ys - y0)[:, None]
    fx = (xs - x0)[None, :]
    a = small[y0][:, x0]
    b = small[y0][:, x0 + 1]
    c = small[y0 + 1][:, x0]
    d = small[y0 + 1][:, x0 + 1]
    return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy


def write(path, bands, gt, epsg):
    h, w = bands[0].shape
    drv = gdal.GetDriverByName("GTiff")
    tmp = str(path) + ".tmp.tif"
    ds = drv.Create(tmp, w, h, len(bands), gdal.GDT_Byte, ["TILED=YES", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    for i, b in enumerate(bands):
        band = ds.GetRasterBand(i + 1)
        band.WriteArray(b)
        band.SetNoDataValue(0)
    ds.BuildOverviews("NEAREST", [2, 4])
    ds = None
    Path(tmp).rename(path)


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    W, H = 1500, 1100
    base = smooth(rng, H, W, 60)
    tex = rng.random((H, W))
    r = 60 + 120 * base + 20 * tex
    g = 70 + 110 * smooth(rng, H, W, 45) + 20 * tex
    b = 50 + 90 * smooth(rng, H, W, 80) + 15 * tex
    nir = 90 + 140 * smooth(rng, H, W, 50) + 10 * tex
    yy, xx = np.mgrid[0:H, 0:W]
    for cy, cx, rad in [(300, 400, 70), (800, 1100, 110), (600, 250, 45)]:
        pond = (yy - cy) ** 2 + (xx - cx) ** 2 < rad * rad
        r[pond], g[pond], b[pond], nir[pond] = 30, 60, 70, 15
    bands = [np.clip(x, 1, 255).astype(np.uint8) for x in (r, g, b, nir)]
    for x in bands:
        x[0:224, 448:672] = 0  # one whole chip (row 0, col 2) is nodata: skipped
        x[500:540, :] = 0  # a strip through patch rows 31..33: partial patches
    gt = (500000.0, 1.0, 0.0, 5250000.0, 0.0, -1.0)
    write(out / "scene_1m.tif", bands, gt, 26914)
    coarse = [x[::5, ::5].copy() for x in bands]
    write(out / "scene_5m.tif", coarse, (500000.0, 5.0, 0.0, 5250000.0, 0.0, -5.0), 26914)
    return 0


if __name__ == "__main__":
    sys.exit(main())
