package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * BSQ cubes, every band (the statistics): one sequential stream; each block is a range of lines of
 * a single band, band after band.
 */
final class BsqBandProducer extends BlockProducer {
  private final InputStream in;
  private final int linesPerBlock;
  private int band;
  private int line;

  BsqBandProducer(EnviHeader header, int blockBytes, CubeSource source) throws IOException {
    super(header, blockBytes);
    this.linesPerBlock = blockLines(header.bandLineBytes());
    this.in = source.open(header.headerOffset(), header.dataBytes());
  }

  @Override
  int maxBytes() {
    return (int) (linesPerBlock * header.bandLineBytes());
  }

  @Override
  Block next(byte[] buf) throws IOException {
    if (band >= header.bands()) return null;
    int n = Math.min(linesPerBlock, header.lines() - line);
    readFully(
        in,
        buf,
        0,
        (int) (n * header.bandLineBytes()),
        header.headerOffset() + band * header.bandBytes() + line * header.bandLineBytes());
    int[] slots = new int[header.bands()];
    Arrays.fill(slots, -1);
    slots[band] = 0;
    Block b = new Block(line, n, buf, Block.Layout.BAND_SLOTS, slots);
    line += n;
    if (line >= header.lines()) {
      line = 0;
      band++;
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
