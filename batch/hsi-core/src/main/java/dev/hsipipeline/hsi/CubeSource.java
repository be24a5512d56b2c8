package dev.hsipipeline.hsi;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to a cube's data object by byte range: a local file, a byte array, or ranged GETs
 * on S3. Offsets are absolute object offsets (they include the header offset).
 */
@FunctionalInterface
public interface CubeSource {
  /** Opens a stream over {@code length} bytes starting at {@code offset}. */
  InputStream open(long offset, long length) throws IOException;

  /**
   * A local file. Each read is cut to at most 1 MiB: a channel reads into a Java array through a
   * temporary native buffer as large as the request, which the JDK then keeps per thread — a whole
   * strip's read (155 MB for a 677 × 224-band int16 tile row) stayed resident for the process's
   * life (ADR 0113).
   */
  static CubeSource ofFile(Path file) {
    return (offset, length) -> {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(offset);
      return new FilterInputStream(Channels.newInputStream(ch)) {
        private static final int MAX_READ = 1 << 20;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.min(len, MAX_READ));
        }
      };
    };
  }

  /** An in-memory object (tests). */
  static CubeSource ofBytes(byte[] bytes) {
    return (offset, length) ->
        new ByteArrayInputStream(
            bytes,
            (int) Math.min(offset, bytes.length),
            (int) Math.max(0, Math.min(length, bytes.length - offset)));
  }
}
