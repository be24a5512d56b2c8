# stdin: [[crsA, crsB], ...] (WKT, EPSG:n or PROJ strings); stdout: [true|false, ...]
# whether GDAL/PROJ consider each pair the same CRS: OSRIsSame (axis order ignored, as in GIS use),
# or the same PROJ definition (equal parameters under different names, e.g. an ESRI WKT that GDAL
# identifies as an EPSG code whose datum is named differently).
import json, sys
from osgeo import osr
osr.UseExceptions()
res = []
for a, b in json.load(sys.stdin):
    sa, sb = osr.SpatialReference(), osr.SpatialReference()
    sa.SetFromUserInput(a)
    sb.SetFromUserInput(b)
    same = sa.IsSame(sb, ["IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS"])
    proj = lambda s: " ".join(p for p in s.ExportToProj4().split() if not p.startswith("+towgs84=0,0,0"))
    res.append(bool(same) or proj(sa) == proj(sb))
print(json.dumps(res))
