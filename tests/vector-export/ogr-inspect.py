"""Reads a vector file with OGR and prints what it sees, as JSON (the reference reader for export tests).

usage: /usr/bin/python3 ogr-inspect.py FILE
For each layer: name, feature count, geometry type, CRS authority, fields (name + OGR type),
GEOS-invalid feature count and the first feature's attributes.
"""
import json
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
ds = ogr.Open(sys.argv[1])
out = {"driver": ds.GetDriver().GetName(), "layers": []}
for i in range(ds.GetLayerCount()):
    lyr = ds.GetLayer(i)
    srs = lyr.GetSpatialRef()
    auth = None
    if srs is not None:
        srs.AutoIdentifyEPSG()
        auth = "%s:%s" % (srs.GetAuthorityName(None), srs.GetAuthorityCode(None))
    defn = lyr.GetLayerDefn()
    fields = []
    for j in range(defn.GetFieldCount()):
        fd = defn.GetFieldDefn(j)
        fields.append({"name": fd.GetName(), "type": fd.GetFieldTypeName(fd.GetType())})
    invalid = 0
    first = None
    area = 0.0
    for f in lyr:
        g = f.GetGeometryRef()
        if g is None or not g.IsValid():
            invalid += 1
        if first is None:
            first = {fd["name"]: f.GetField(fd["name"]) for fd in fields}
    out["layers"].append({
        "name": lyr.GetName(),
        "featureCount": lyr.GetFeatureCount(),
        "geomType": ogr.GeometryTypeToName(lyr.GetGeomType()),
        "crs": auth,
        "fields": fields,
        "invalid": invalid,
        "first": first,
    })
print(json.dumps(out, default=str))
