package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import java.nio.ByteOrder;

/**
 * How samples are laid out: the cube's geometry and sample encoding, as the decoders need them.
 *
 * @param bigEndian byte order of multi-byte samples
 */
record CubeFormat(int samples, int lines, int bands, DataType type, boolean bigEndian) {

  static CubeFormat of(EnviHeader h) {
    return new CubeFormat(
        h.samples(), h.lines(), h.bands(), h.dataType(), h.byteOrder() == ByteOrder.BIG_ENDIAN);
  }

  int bytesPerSample() {
    return type.bytes();
  }
}
