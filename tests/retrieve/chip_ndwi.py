#!/usr/bin/python3
"""Mean raw-pixel NDWI (McFeeters, (G - NIR) / (G + NIR)) inside each chip footprint of a GeoJSON.

  /usr/bin/python3 tests/retrieve/chip_ndwi.py <raster> <chips.geojson>

Independent of the TypeScript code: OGR reprojects each WGS84 footprint to the raster's CRS and
GDAL burns it onto the raster's own grid, so a georeferencing error moves the footprints off
the chips they name. Prints one JSON list: per feature (file order) {"mean": NDWI, "px": count}.
"""
import json
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def main() -> int:
    raster, vector = sys.argv[1], sys.argv[2]
    ds = gdal.Open(raster)
    dst = osr.SpatialReference(wkt=ds.GetProjection())
    src = osr.SpatialReference()
    src.ImportFromEPSG(4326)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    tr = osr.CoordinateTransformation(src, dst)
    g = ds.GetRasterBand(2).ReadAsArray().astype(np.float64)
    nir = ds.GetRasterBand(4).ReadAsArray().astype(np.float64)
    valid = (g + nir) > 0
    ndwi = np.where(valid, (g - nir) / np.maximum(g + nir, 1e-6), np.nan)
    out = []
    for f in json.load(open(vector))["features"]:
        geom = ogr.CreateGeometryFromJson(json.dumps(f["geometry"]))
        geom.Transform(tr)
        mem = ogr.GetDriverByName("Memory").CreateDataSource("m")
        lyr = mem.CreateLayer("l", srs=dst)
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)
        mds = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
        mds.SetGeoTransform(ds.GetGeoTransform())
        mds.SetProjection(ds.GetProjection())
        gdal.RasterizeLayer(mds, [1], lyr, burn_values=[1])
        mask = mds.ReadAsArray().astype(bool) & valid
        out.append({"mean": float(np.mean(ndwi[mask])) if mask.any() else None, "px": int(mask.sum())})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
