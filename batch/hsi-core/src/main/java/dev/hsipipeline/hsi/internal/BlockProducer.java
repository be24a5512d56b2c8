package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.TruncatedDataException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the cube from its source as a sequence of {@link Block}s of whole lines, into buffers the
 * caller supplies (so memory is bounded by the buffers in flight, not by the scene). Used by one
 * thread at a time.
 */
abstract sealed class BlockProducer implements Closeable
    permits InterleavedProducer, BsqBandProducer, BsqBandSetProducer {
  final EnviHeader header;
  private final int blockBytes;
  private long bytesRead;

  BlockProducer(EnviHeader header, int blockBytes) {
    this.header = header;
    this.blockBytes = blockBytes;
  }

  /** The largest block in bytes: the size of the buffers to pass to {@link #next}. */
  abstract int maxBytes();

  /** The next block, read into {@code buf}, or null after the last. */
  abstract Block next(byte[] buf) throws IOException;

  /** Cube bytes read so far (read it on the reading thread, or after it has finished). */
  final long bytesRead() {
    return bytesRead;
  }

  /** Lines per block for lines of {@code bytesPerLine}: at least one, at most the cube. */
  final int blockLines(long bytesPerLine) {
    return (int) Math.max(1, Math.min(header.lines(), blockBytes / bytesPerLine));
  }

  /**
   * Fills {@code buf[off, off + len)} from {@code in}, which is positioned at {@code objectOffset}
   * of the data object.
   *
   * @throws TruncatedDataException when the object ends first
   */
  final void readFully(InputStream in, byte[] buf, int off, int len, long objectOffset)
      throws IOException {
    int done = 0;
    while (done < len) {
      int r = in.read(buf, off + done, len - done);
      if (r < 0)
        throw new TruncatedDataException(
            "the data object", header.expectedObjectSize(), objectOffset + done);
      done += r;
    }
    bytesRead += len;
  }
}
