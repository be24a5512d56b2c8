"""The processor's three read patterns on a band- and a pixel-interleaved COG of the same scene
(ADR 0106), with GDAL as the reader: per-band statistics (every band), an index (two bands), a
quicklook (three bands). Prints, per file and pattern, the median seconds of 3 runs and the
compressed bytes a ranged reader must fetch (sum of the tiles it needs).

usage: /usr/bin/python3 reads.py <band.tif> <pixel.tif> <bandA,bandB> <r,g,b>   (1-based bands)
"""
import json
import statistics
import sys
import time

from osgeo import gdal

gdal.UseExceptions()


def tile_bytes(ds, bands):
    """Compressed bytes of the full-resolution tiles holding these bands."""
    total, seen = 0, set()
    for b in bands:
        band = ds.GetRasterBand(b)
        bx, by = band.GetBlockSize()
        for y in range((band.YSize + by - 1) // by):
            for x in range((band.XSize + bx - 1) // bx):
                off = band.GetMetadataItem("BLOCK_OFFSET_%d_%d" % (x, y), "TIFF")
                size = int(band.GetMetadataItem("BLOCK_SIZE_%d_%d" % (x, y), "TIFF"))
                if off not in seen:
                    seen.add(off)
                    total += size
    return total


def timed(path, bands):
    gdal.SetCacheMax(512 << 20)
    ds = gdal.Open(path)
    t = time.perf_counter()
    if bands is None:
        ds.ReadAsArray()
    else:
        ds.ReadAsArray(band_list=bands)
    elapsed = time.perf_counter() - t
    ds = None
    return elapsed


def main():
    band_path, pixel_path = sys.argv[1], sys.argv[2]
    index = [int(v) for v in sys.argv[3].split(",")]
    rgb = [int(v) for v in sys.argv[4].split(",")]
    patterns = {"stats (all bands)": None, "index (2 bands)": index, "quicklook (3 bands)": rgb}
    out = {}
    for name, bands in patterns.items():
        for label, path in (("band", band_path), ("pixel", pixel_path)):
            ds = gdal.Open(path)
            needed = list(range(1, ds.RasterCount + 1)) if bands is None else bands
            samples = []
            for _ in range(3):
                samples.append(timed(path, bands))
            out.setdefault(name, {})[label] = {
                "seconds": round(statistics.median(samples), 3),
                "bytes": tile_bytes(ds, needed),
            }
    print("RESULT " + json.dumps(out))


if __name__ == "__main__":
    main()
