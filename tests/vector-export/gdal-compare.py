"""Reference check for maskToPolygons: polygonize the same mask with GDAL and compare.

usage: /usr/bin/python3 gdal-compare.py MASK.u8 WIDTH HEIGHT CONNECTIVITY OURS.geojson
  MASK.u8       raw uint8 row-major mask (non-zero = foreground)
  OURS.geojson  FeatureCollection in PIXEL coordinates (x = column, y = row, y down)
Prints one JSON object with counts for both sides and the symmetric-difference area.
GDAL runs on a GeoTIFF written from the mask (geotransform [0,1,0,0,0,1], nodata 0 so only
foreground is polygonized) through gdal.Polygonize, the function gdal_polygonize.py calls.
"""
import json
import os
import sys
import tempfile

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()
# GEOS warns on every self-touching ring GDAL writes with 8CONNECTED; we count them instead.
gdal.PushErrorHandler("CPLQuietErrorHandler")

mask_path, w, h, conn, ours_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
arr = (np.fromfile(mask_path, dtype=np.uint8).reshape(h, w) != 0).astype(np.uint8)

tmp = tempfile.mkdtemp()
tif = os.path.join(tmp, "mask.tif")
ds = gdal.GetDriverByName("GTiff").Create(tif, w, h, 1, gdal.GDT_Byte)
ds.SetGeoTransform([0, 1, 0, 0, 0, 1])
band = ds.GetRasterBand(1)
band.WriteArray(arr)
band.SetNoDataValue(0)
ds.FlushCache()

mem = ogr.GetDriverByName("Memory").CreateDataSource("gdal")
lyr = mem.CreateLayer("p", geom_type=ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn("DN", ogr.OFTInteger))
gdal.Polygonize(band, band.GetMaskBand(), lyr, 0, ["8CONNECTED=8"] if conn == 8 else [])


def stats(geoms):
    """Counts after MakeValid (GDAL's 8-connected rings self-touch; ours must already be valid)."""
    out = {"features": len(geoms), "parts": 0, "holes": 0, "invalid": 0, "area": 0.0}
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for g in geoms:
        if not g.IsValid():
            out["invalid"] += 1
            g = g.MakeValid()
        polys = [g] if g.GetGeometryType() == ogr.wkbPolygon else [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
        for p in polys:
            if p.GetGeometryType() != ogr.wkbPolygon:
                continue
            out["parts"] += 1
            out["holes"] += p.GetGeometryCount() - 1
            out["area"] += p.GetArea()
            union.AddGeometry(p)
    return out, union.UnionCascaded() if union.GetGeometryCount() else union


gdal_geoms = [f.GetGeometryRef().Clone() for f in lyr]
ours_ds = ogr.Open(ours_path)
ours_geoms = [f.GetGeometryRef().Clone() for f in ours_ds.GetLayer(0)] if ours_ds.GetLayer(0).GetFeatureCount() else []
g_stats, g_union = stats(gdal_geoms)
o_stats, o_union = stats(ours_geoms)
sym = g_union.SymDifference(o_union).GetArea() if (gdal_geoms or ours_geoms) else 0.0
print(json.dumps({"gdal": g_stats, "ours": o_stats, "symDiffArea": sym, "maskPixels": int(arr.sum())}))
