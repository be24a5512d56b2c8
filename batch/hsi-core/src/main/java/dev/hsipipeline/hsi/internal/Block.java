package dev.hsipipeline.hsi.internal;

/**
 * Lines {@code [firstLine, firstLine + lineCount)} of some bands of the cube, as read from the
 * source.
 *
 * @param data the bytes; only the block's lines are meaningful
 * @param slotOfBand {@link Layout#BAND_SLOTS}: for each band its slot in {@code data}, or -1 when
 *     the block does not hold it; null otherwise
 */
record Block(int firstLine, int lineCount, byte[] data, Layout layout, int[] slotOfBand) {

  /** Where a band's line lies in {@code data}. */
  enum Layout {
    /** All bands, line by line, each line band after band (the cube's own BIL order). */
    BIL,
    /** All bands, pixel by pixel (the cube's own BIP order). */
    BIP,
    /** Some bands (BSQ): slot after slot, each slot the block's lines of one band. */
    BAND_SLOTS
  }

  /** True when the block holds this band. */
  boolean has(int band) {
    return layout != Layout.BAND_SLOTS || slotOfBand[band] >= 0;
  }
}
