#!/usr/bin/python3
"""NDWI (McFeeters, (G - NIR) / (G + NIR)) of the raw pixels inside vs outside detection polygons.

  /usr/bin/python3 tests/search/ndwi_check.py <raster> <detections.geojson>

Independent of the TypeScript reader: GDAL reprojects the WGS84 polygons to the raster's CRS
(ogr2ogr) and burns them onto the raster's own grid (gdal_rasterize), so a georeferencing error
in the polygons moves them off the water. Prints one JSON line.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def main() -> int:
    raster, vector = sys.argv[1], sys.argv[2]
    ds = gdal.Open(raster)
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    epsg = srs.GetAuthorityCode(None)
    with tempfile.TemporaryDirectory() as tmp:
        proj = str(Path(tmp) / "det.gpkg")
        subprocess.run(["ogr2ogr", "-t_srs", f"EPSG:{epsg}", proj, vector], check=True)
        mask_path = str(Path(tmp) / "mask.tif")
        drv = gdal.GetDriverByName("GTiff")
        m = drv.Create(mask_path, ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
        m.SetGeoTransform(ds.GetGeoTransform())
        m.SetProjection(ds.GetProjection())
        m = None
        subprocess.run(["gdal_rasterize", "-q", "-burn", "1", proj, mask_path], check=True)
        mask = gdal.Open(mask_path).ReadAsArray().astype(bool)
    g = ds.GetRasterBand(2).ReadAsArray().astype(np.float64)
    nir = ds.GetRasterBand(4).ReadAsArray().astype(np.float64)
    valid = (g + nir) > 0
    ndwi = np.where(valid, (g - nir) / np.maximum(g + nir, 1e-6), np.nan)
    inside = ndwi[mask & valid]
    outside = ndwi[~mask & valid]
    print(json.dumps({
        "inside_px": int(inside.size),
        "outside_px": int(outside.size),
        "inside_mean": float(np.nanmean(inside)) if inside.size else None,
        "outside_mean": float(np.nanmean(outside)),
        "inside_water_frac": float(np.mean(inside > 0)) if inside.size else None,
        "outside_water_frac": float(np.mean(outside > 0)),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
