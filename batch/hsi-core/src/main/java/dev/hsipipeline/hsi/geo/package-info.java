/**
 * Georeferencing of rasters: a coordinate reference system ({@link Crs}), the affine pixel-to-map
 * transform ({@link GeoTransform}) and the two together ({@link Georeferencing}). The meaning of
 * every term follows GDAL (the ENVI driver for headers, the GTiff driver for GeoTIFF tags), so a
 * value here equals what {@code gdalinfo} reports for the same file.
 */
package dev.hsipipeline.hsi.geo;
