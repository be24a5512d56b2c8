package dev.hsipipeline.hsi.cog.internal;

/**
 * One resolution of the COG: its size, tiling and where its tiles went (offsets relative to the
 * start of its data: the body for full resolution, its spool for an overview).
 */
final class Level {
  final int width, height, tilesX, tilesY, planes;
  final long[] offsets, counts;
  Spool spool; // overviews only
  Strip strip; // overviews only: the tile row being filled
  Reducer reducer; // overviews only
  int rowsDone; // overviews only

  Level(int width, int height, int tileSize, int planes) {
    this.width = width;
    this.height = height;
    this.tilesX = (width + tileSize - 1) / tileSize;
    this.tilesY = (height + tileSize - 1) / tileSize;
    this.planes = planes;
    int n = Math.multiplyExact(Math.multiplyExact(tilesX, tilesY), planes);
    offsets = new long[n];
    counts = new long[n];
  }

  /** libtiff's tile number of (tile row, tile column, plane). */
  int index(int ty, int tx, int plane) {
    return (plane * tilesY + ty) * tilesX + tx;
  }

  int tiles() {
    return offsets.length;
  }
}
