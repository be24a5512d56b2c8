# GDAL as the oracle for ENVI georeferencing (EnviGeoreferencingGdalTest).
# stdin: {"dir": ..., "create": [case...], "read": [data file...]}
#   case: {"name", "crs": "EPSG:n" | WKT | PROJ string, "gt": [6], "type": GDAL type name,
#          "interleave", "byteOrder": "LITTLE_ENDIAN" | "BIG_ENDIAN", "bands", "width", "height"}
# stdout: {"<data file>": {"gt", "epsg", "wkt", "corners" | "cornersError"}} for every file
# created or read, as GDAL 3.6's ENVI driver reads it back.
import json, sys, os
from osgeo import gdal, osr
gdal.UseExceptions()
req = json.load(sys.stdin)
out = {}
for c in req.get("create", []):
    path = os.path.join(req["dir"], c["name"] + ".img")
    opts = ["INTERLEAVE=" + c.get("interleave", "BSQ")]
    ds = gdal.GetDriverByName("ENVI").Create(path, c.get("width", 5), c.get("height", 4),
                                             c.get("bands", 2), gdal.GetDataTypeByName(c.get("type", "Int16")), opts)
    ds.SetGeoTransform(c["gt"])
    s = osr.SpatialReference()
    s.SetFromUserInput(c["crs"])
    ds.SetSpatialRef(s)
    ds.GetRasterBand(1).SetDescription("first band")
    ds.GetRasterBand(1).SetNoDataValue(-9999)
    ds = None
    if c.get("byteOrder") == "BIG_ENDIAN":
        # GDAL 3.6's ENVI driver writes native (little-endian) order only; the header it wrote is
        # kept and just says big endian (the raster is all zeros, the same in either order).
        hdr = path[:-4] + ".hdr"
        text = open(hdr).read()
        assert "byte order = 0" in text
        open(hdr, "w").write(text.replace("byte order = 0", "byte order = 1"))
    req.setdefault("read", []).append(path)
wgs84 = osr.SpatialReference()
wgs84.ImportFromEPSG(4326)
wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
for path in req.get("read", []):
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform(can_return_null=True)
    srs = ds.GetSpatialRef()
    r = {"gt": list(gt) if gt else None, "epsg": None, "wkt": None}
    if srs is not None:
        r["wkt"] = srs.ExportToWkt()
        if srs.GetAuthorityName(None) == "EPSG":
            r["epsg"] = int(srs.GetAuthorityCode(None))
        if gt:
            try:
                srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
                t = osr.CoordinateTransformation(srs, wgs84)
                w, h = ds.RasterXSize, ds.RasterYSize
                pts = [(0, 0), (w, 0), (w, h), (0, h)]
                r["corners"] = [list(t.TransformPoint(gt[0] + x * gt[1] + y * gt[2], gt[3] + x * gt[4] + y * gt[5])[:2]) for x, y in pts]
            except Exception as e:
                r["cornersError"] = str(e)
    out[path] = r
print(json.dumps(out))
