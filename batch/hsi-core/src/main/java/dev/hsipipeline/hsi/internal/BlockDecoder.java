package dev.hsipipeline.hsi.internal;

/**
 * Decodes one band of one line of a {@link Block} at a time, for every product computed from the
 * block. The byte-order views are made once per block here: made per line, {@code
 * asShortBuffer}/{@code slice} would be hot enough for C2 to spend hundreds of milliseconds of a
 * fresh job JVM compiling them (ADR 0044).
 */
final class BlockDecoder {
  private final Block block;
  private final CubeFormat format;
  private final Decode.Views views;
  private final short[] integers;

  BlockDecoder(Block block, CubeFormat format) {
    this.block = block;
    this.format = format;
    this.views = new Decode.Views(block.data(), format.bigEndian());
    this.integers = new short[format.samples()];
  }

  Block block() {
    return block;
  }

  /** The samples of {@code band} in the block's line {@code lineInBlock}, as floats. */
  void floats(int band, int lineInBlock, float[] dst) {
    Decode.floats(
        format.type(),
        format.bigEndian(),
        block.data(),
        views,
        offset(band, lineInBlock),
        stride(),
        format.samples(),
        dst,
        integers);
  }

  /** Integer types: the same samples as raw 16-bit patterns (see {@link Decode#rawShorts}). */
  void rawShorts(int band, int lineInBlock, short[] dst) {
    Decode.rawShorts(
        format.type(),
        format.bigEndian(),
        block.data(),
        views,
        offset(band, lineInBlock),
        stride(),
        format.samples(),
        dst);
  }

  private int offset(int band, int lineInBlock) {
    int bps = format.bytesPerSample();
    int lineBytes = format.samples() * bps;
    return switch (block.layout()) {
      case BIL -> (lineInBlock * format.bands() + band) * lineBytes;
      case BIP -> (lineInBlock * format.samples() * format.bands() + band) * bps;
      case BAND_SLOTS -> (block.slotOfBand()[band] * block.lineCount() + lineInBlock) * lineBytes;
    };
  }

  private int stride() {
    int bps = format.bytesPerSample();
    return block.layout() == Block.Layout.BIP ? format.bands() * bps : bps;
  }
}
