package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * BSQ cubes, a few bands (the spatial products): one ranged stream per band, read in lockstep, so
 * each block holds the same lines of every wanted band — a few streams instead of a whole-cube
 * reorder.
 */
final class BsqBandSetProducer extends BlockProducer {
  private final int[] bands;
  private final int[] slotOfBand;
  private final InputStream[] in;
  private final int linesPerBlock;
  private int line;

  /**
   * @param bands the wanted bands, distinct; slot {@code i} of each block holds {@code bands[i]}
   */
  BsqBandSetProducer(EnviHeader header, int blockBytes, CubeSource source, int[] bands)
      throws IOException {
    super(header, blockBytes);
    this.bands = bands.clone();
    this.slotOfBand = new int[header.bands()];
    Arrays.fill(slotOfBand, -1);
    for (int s = 0; s < bands.length; s++) slotOfBand[bands[s]] = s;
    this.linesPerBlock = blockLines(header.bandLineBytes() * bands.length);
    this.in = new InputStream[bands.length];
    try {
      for (int s = 0; s < bands.length; s++) {
        in[s] =
            source.open(header.headerOffset() + bands[s] * header.bandBytes(), header.bandBytes());
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  int maxBytes() {
    return (int) (linesPerBlock * header.bandLineBytes() * bands.length);
  }

  @Override
  Block next(byte[] buf) throws IOException {
    if (line >= header.lines()) return null;
    int n = Math.min(linesPerBlock, header.lines() - line);
    int len = (int) (n * header.bandLineBytes());
    for (int s = 0; s < bands.length; s++) {
      readFully(
          in[s],
          buf,
          s * len,
          len,
          header.headerOffset() + bands[s] * header.bandBytes() + line * header.bandLineBytes());
    }
    Block b = new Block(line, n, buf, Block.Layout.BAND_SLOTS, slotOfBand);
    line += n;
    return b;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (InputStream s : in) {
      if (s == null) continue;
      try {
        s.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }
}
