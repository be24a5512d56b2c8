"""GDAL's view of what the jobs wrote for one scene (ProductsGdalTest).

Input on stdin, JSON: {"source": <ENVI data file>, "activated", "ndi", "quicklook": <.tif>, "thumbnail": <.png>,
"band_a", "band_b": 0-based NDI bands, "factor": quicklook pixels per scene pixel}.
Prints JSON: per raster its size, CRS, geotransform, nodata, validator verdict, and the pixel
comparisons against the source ENVI as GDAL reads it.
"""
import json
import sys

import numpy as np
from osgeo import gdal
from osgeo_utils.samples import validate_cloud_optimized_geotiff as validator

gdal.UseExceptions()


def describe(ds, path):
    srs = ds.GetSpatialRef()
    gt = ds.GetGeoTransform(can_return_null=True)
    errors, warnings = [], []
    if path.endswith(".tif"):
        warnings, errors, _ = validator.validate(path, full_check=True)
    band = ds.GetRasterBand(1)
    return {
        "size": [ds.RasterXSize, ds.RasterYSize, ds.RasterCount],
        "type": gdal.GetDataTypeName(band.DataType),
        "nodata": None if band.GetNoDataValue() is None else str(band.GetNoDataValue()),
        "wkt": srs.ExportToWkt() if srs else None,
        "gt": list(gt) if gt else None,
        "overviews": band.GetOverviewCount(),
        "validator_errors": errors,
        "validator_warnings": warnings,
    }


def same_crs(a, b):
    sa, sb = a.GetSpatialRef(), b.GetSpatialRef()
    if sa is None or sb is None:
        return sa is None and sb is None
    return bool(sa.IsSame(sb))


def main(src_path, cog_path, ndi_path, ql_path, png_path, band_a, band_b, factor):
    src, cog, ndi, ql, png = (gdal.Open(p) for p in (src_path, cog_path, ndi_path, ql_path, png_path))
    out = {"activated": describe(cog, cog_path), "ndi": describe(ndi, ndi_path),
           "quicklook": describe(ql, ql_path), "source": describe(src, src_path)}

    s, c = src.ReadAsArray(), cog.ReadAsArray()
    out["activated"]["pixels_identical"] = bool(s.shape == c.shape and s.dtype == c.dtype and np.array_equal(s, c, equal_nan=True))
    out["activated"]["crs_same"] = same_crs(src, cog)
    out["activated"]["nodata_same"] = src.GetRasterBand(1).GetNoDataValue() == cog.GetRasterBand(1).GetNoDataValue() or (
        src.GetRasterBand(1).GetNoDataValue() is None and cog.GetRasterBand(1).GetNoDataValue() is None)

    nd = src.GetRasterBand(1).GetNoDataValue()
    a = src.GetRasterBand(band_a + 1).ReadAsArray().astype(np.float64)
    b = src.GetRasterBand(band_b + 1).ReadAsArray().astype(np.float64)
    has_data = np.ones(a.shape, bool) if nd is None else (a != nd) & (b != nd)
    valid = has_data & (a + b != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = ((a - b) / (a + b)).astype(np.float32)
    got = ndi.ReadAsArray()
    out["ndi"]["crs_same"] = same_crs(src, ndi)
    out["ndi"]["valid_pixels"] = int(valid.sum())
    out["ndi"]["valid_mismatches"] = int((valid & (got != expected)).sum())
    out["ndi"]["nodata_not_nan"] = int((~has_data & ~np.isnan(got)).sum())

    rgba = png.ReadAsArray()  # 4 x h x w
    rgb = ql.ReadAsArray()
    transparent = rgba[3] == 0
    want = np.where(transparent, 0, np.maximum(rgba[:3], 1))
    out["quicklook"]["crs_same"] = same_crs(src, ql)
    out["quicklook"]["pixels_match_thumbnail"] = bool(rgb.shape == want.shape and np.array_equal(rgb, want))
    sg = src.GetGeoTransform()
    out["quicklook"]["gt_expected"] = [sg[0], sg[1] * factor, sg[2] * factor, sg[3], sg[4] * factor, sg[5] * factor]
    print(json.dumps(out))


if __name__ == "__main__":
    i = json.load(sys.stdin)
    main(i["source"], i["activated"], i["ndi"], i["quicklook"], i["thumbnail"], i["band_a"], i["band_b"], i["factor"])
