# GDAL as the oracle for proj:wkt2 (Wkt2GdalTest).
# stdin: [{"file": ENVI data file, "wkt2": our WKT2}, ...]
# stdout: [{"accepted", "sameAsDataset", "sameAsGdalsrsinfoWkt2", "sameAsHeaderWkt", "gdalWkt2"}]
#   accepted: osr imports our text; sameAsDataset: OSRIsSame with the SRS GDAL's ENVI driver reads
#   from the header; sameAsGdalsrsinfoWkt2: OSRIsSame with `gdalsrsinfo -o wkt2 <file>`;
#   sameAsHeaderWkt: OSRIsSame with the header's `coordinate system string` imported by osr.
#   (GDAL's ENVI driver may identify an EPSG code, e.g. 3413 for a north polar stereographic.)
import json, re, subprocess, sys
from osgeo import gdal, osr
gdal.UseExceptions()
osr.UseExceptions()
SAME = ["IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS"]

def srs(text):
    s = osr.SpatialReference()
    s.SetFromUserInput(text)
    return s

out = []
for c in json.load(sys.stdin):
    r = {"accepted": False}
    try:
        ours = srs(c["wkt2"])
        r["accepted"] = True
    except Exception as e:
        r["error"] = str(e)
        out.append(r)
        continue
    dataset = gdal.Open(c["file"]).GetSpatialRef()
    r["sameAsDataset"] = bool(ours.IsSame(dataset, SAME))
    gdal_wkt2 = subprocess.run(["gdalsrsinfo", "--single-line", "-o", "wkt2", c["file"]],
                               check=True, capture_output=True, text=True).stdout.strip()
    r["gdalWkt2"] = gdal_wkt2
    r["sameAsGdalsrsinfoWkt2"] = bool(ours.IsSame(srs(gdal_wkt2), SAME))
    hdr = open(re.sub(r"\.img$", ".hdr", c["file"])).read()
    m = re.search(r"coordinate system string = \{(.*?)\}", hdr, re.S)
    r["sameAsHeaderWkt"] = bool(m) and bool(ours.IsSame(srs(m.group(1)), SAME))
    out.append(r)
print(json.dumps(out))
