package dev.hsipipeline.processor.internal;

import dev.hsipipeline.hsi.cog.CogWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The engine's NDI output (float32 lines, in line order, in arbitrary chunks) fed to a {@link
 * CogWriter} a batch of whole lines at a time.
 */
public final class CogLines extends OutputStream {
  private final CogWriter writer;
  private final int lineBytes;
  private final byte[] buffer;
  private int length;

  /**
   * @param lineBytes bytes of one line
   * @param targetBytes about how many bytes to hand over at a time (at least one line)
   */
  public CogLines(CogWriter writer, int lineBytes, int targetBytes) {
    this.writer = writer;
    this.lineBytes = lineBytes;
    this.buffer = new byte[Math.max(1, targetBytes / lineBytes) * lineBytes];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, buffer.length - length);
      System.arraycopy(b, off, buffer, length, n);
      length += n;
      off += n;
      len -= n;
      if (length == buffer.length) flushLines();
    }
  }

  /** Hands over the whole lines buffered so far (a partial line stays). */
  @Override
  public void flush() throws IOException {
    flushLines();
  }

  private void flushLines() throws IOException {
    int lines = length / lineBytes;
    if (lines == 0) return;
    writer.write(buffer, 0, lines);
    int rest = length - lines * lineBytes;
    System.arraycopy(buffer, lines * lineBytes, buffer, 0, rest);
    length = rest;
  }

  /** Bytes buffered that do not make a whole line (0 after a complete image). */
  public int pending() {
    return length;
  }
}
