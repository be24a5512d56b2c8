"""GDAL as the oracle for the COG writer's tests (run with Debian's /usr/bin/python3).

  compare <source> <cog> <ref.tif>  -> what GDAL reads from both, the validator's verdict and
                                       the overviews against GDAL's own COG (written to ref.tif
                                       with the same block size, DEFLATE and AVERAGE)
"""
import json
import sys

import numpy as np
from osgeo import gdal
from osgeo_utils.samples import validate_cloud_optimized_geotiff as validator

gdal.UseExceptions()


def band_info(ds):
    bands = []
    for i in range(1, ds.RasterCount + 1):
        b = ds.GetRasterBand(i)
        md = b.GetMetadata()
        bands.append({"description": b.GetDescription(), "nodata": b.GetNoDataValue(),
                      "wavelength": md.get("wavelength"),
                      "wavelength_units": md.get("wavelength_units"),
                      "type": gdal.GetDataTypeName(b.DataType),
                      "color": gdal.GetColorInterpretationName(b.GetColorInterpretation())})
    return bands


def same(a, b):
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def overview_diff(cog_path, ref_path, nodata):
    """Each overview level read whole (all bands in one pass: a pixel-interleaved tile is
    decompressed once, not once per band)."""
    levels = []
    cog, ref = gdal.Open(cog_path), gdal.Open(ref_path)
    cb, rb = cog.GetRasterBand(1), ref.GetRasterBand(1)
    for i in range(max(cb.GetOverviewCount(), rb.GetOverviewCount())):
        entry = {}
        if i >= cb.GetOverviewCount() or i >= rb.GetOverviewCount():
            entry["missing"] = True
            levels.append(entry)
            continue
        co, ro = cb.GetOverview(i), rb.GetOverview(i)
        entry["size"] = [co.XSize, co.YSize]
        entry["ref_size"] = [ro.XSize, ro.YSize]
        worst, differing, nodata_mismatch = 0.0, 0, 0
        if entry["size"] == entry["ref_size"]:
            opts = ["OVERVIEW_LEVEL=%d" % i]
            ca = gdal.OpenEx(cog_path, open_options=opts).ReadAsArray().astype(np.float64)
            ra = gdal.OpenEx(ref_path, open_options=opts).ReadAsArray().astype(np.float64)
            a, r = ca, ra
            if nodata is not None:
                na, nr = a == nodata, r == nodata
                nodata_mismatch = int(np.count_nonzero(na != nr))
                mask = ~(na | nr)
                a, r = a[mask], r[mask]
            d = np.abs(a - r)
            rel = d / np.maximum(np.abs(r), 1e-30)
            worst = float(d.max()) if d.size else 0.0
            differing = int(np.count_nonzero(d > 0))
            entry["max_rel"] = float(rel.max()) if rel.size else 0.0
        entry.update({"max_abs": worst, "differing": differing, "nodata_mismatch": nodata_mismatch})
        levels.append(entry)
    return levels


def compare(src_path, cog_path, ref_path):
    src, cog = gdal.Open(src_path), gdal.Open(cog_path)
    out = {"driver": cog.GetDriver().ShortName, "size": [cog.RasterXSize, cog.RasterYSize, cog.RasterCount]}
    out["pixels_identical"] = src.RasterCount == cog.RasterCount and same(
        src.ReadAsArray(), cog.ReadAsArray())
    s_srs, c_srs = src.GetSpatialRef(), cog.GetSpatialRef()
    out["crs_same"] = (s_srs is None and c_srs is None) or (
        s_srs is not None and c_srs is not None and bool(s_srs.IsSame(c_srs)))
    out["crs_cog"] = c_srs.ExportToWkt() if c_srs else None
    sg, cg = src.GetGeoTransform(can_return_null=True), cog.GetGeoTransform(can_return_null=True)
    out["gt_src"], out["gt_cog"] = (list(sg) if sg else None), (list(cg) if cg else None)
    out["src_bands"], out["cog_bands"] = band_info(src), band_info(cog)
    out["interleave"] = cog.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE")
    out["compression"] = cog.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE")
    out["block"] = cog.GetRasterBand(1).GetBlockSize()
    with open(cog_path, "rb") as f:
        head = f.read(4)
    out["bigtiff"] = head[2] == 43
    warnings, errors, _ = validator.validate(cog_path, full_check=True)
    out["validator_errors"], out["validator_warnings"] = errors, warnings
    block = cog.GetRasterBand(1).GetBlockSize()[0]
    dtype = cog.GetRasterBand(1).DataType
    pred = "3" if dtype == gdal.GDT_Float32 else "2"
    gdal.Translate(ref_path, src, format="COG", creationOptions=[
        "COMPRESS=DEFLATE", "PREDICTOR=" + pred, "BLOCKSIZE=%d" % block, "RESAMPLING=AVERAGE"])
    out["overviews"] = overview_diff(cog_path, ref_path, cog.GetRasterBand(1).GetNoDataValue())
    return out


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "compare":
        print(json.dumps(compare(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        raise SystemExit("unknown command " + cmd)
