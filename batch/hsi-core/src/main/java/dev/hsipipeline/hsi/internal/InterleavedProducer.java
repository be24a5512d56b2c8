package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import java.io.IOException;
import java.io.InputStream;

/** BIL and BIP cubes: one sequential stream; each block is whole lines with all bands. */
final class InterleavedProducer extends BlockProducer {
  private final InputStream in;
  private final int linesPerBlock;
  private final Block.Layout layout;
  private int line;

  InterleavedProducer(EnviHeader header, int blockBytes, CubeSource source) throws IOException {
    super(header, blockBytes);
    this.linesPerBlock = blockLines(header.lineBytes());
    this.layout = header.interleave() == Interleave.BIL ? Block.Layout.BIL : Block.Layout.BIP;
    this.in = source.open(header.headerOffset(), header.dataBytes());
  }

  @Override
  int maxBytes() {
    return (int) (linesPerBlock * header.lineBytes());
  }

  @Override
  Block next(byte[] buf) throws IOException {
    if (line >= header.lines()) return null;
    int n = Math.min(linesPerBlock, header.lines() - line);
    readFully(
        in,
        buf,
        0,
        (int) (n * header.lineBytes()),
        header.headerOffset() + line * header.lineBytes());
    Block b = new Block(line, n, buf, layout, null);
    line += n;
    return b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
