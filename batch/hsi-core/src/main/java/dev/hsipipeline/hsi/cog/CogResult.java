package dev.hsipipeline.hsi.cog;

import java.util.List;

/**
 * What a finished COG looks like.
 *
 * @param bytes size of the file
 * @param bigTiff true when written as BigTIFF
 * @param width pixels per line of the full resolution
 * @param height lines of the full resolution
 * @param bands bands
 * @param tileSize tile width and height
 * @param interleave pixel or band interleave
 * @param overviews the overview levels, largest first
 */
public record CogResult(
    long bytes,
    boolean bigTiff,
    int width,
    int height,
    int bands,
    int tileSize,
    CogOptions.Interleave interleave,
    List<Size> overviews) {

  /** Width and height of one overview level. */
  public record Size(int width, int height) {}

  /** Validates. */
  public CogResult {
    overviews = List.copyOf(overviews);
  }
}
