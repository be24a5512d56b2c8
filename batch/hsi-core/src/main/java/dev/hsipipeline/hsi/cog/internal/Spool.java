package dev.hsipipeline.hsi.cog.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An append-only byte store read back by range: in memory while a budget shared with the other
 * spools of the conversion lasts, then in a temporary file (deleted on {@link #close}). Holds the
 * compressed overview tiles until the head is assembled.
 *
 * <p>The budget is shared because a taller scene has more overview levels: one budget per level
 * made the converter's memory grow with the scene (ADR 0109).
 */
final class Spool implements AutoCloseable {
  // below half a G1 region (1 MiB at these heap sizes): a larger array is "humongous" and takes
  // whole regions, a 1 MiB chunk two of them (ADR 0113)
  private static final int CHUNK = 256 << 10;

  /** Bytes all spools of one conversion may keep in memory together. */
  static final class MemoryBudget {
    private final java.util.concurrent.atomic.AtomicLong left;

    MemoryBudget(long bytes) {
      left = new java.util.concurrent.atomic.AtomicLong(bytes);
    }

    boolean tryTake(long bytes) {
      for (long have = left.get(); have >= bytes; have = left.get()) {
        if (left.compareAndSet(have, have - bytes)) return true;
      }
      return false;
    }

    void give(long bytes) {
      left.addAndGet(bytes);
    }
  }

  private final MemoryBudget memoryBudget;
  private final Path tempDir;
  private final List<byte[]> chunks = new ArrayList<>();
  private int chunkUsed = CHUNK;
  private Path file;
  private OutputStream fileOut;
  private long memoryBytes, size;

  Spool(MemoryBudget memoryBudget, Path tempDir) {
    this.memoryBudget = memoryBudget;
    this.tempDir = tempDir;
  }

  long size() {
    return size;
  }

  void write(byte[] b, int off, int len) throws IOException {
    size += len;
    if (file == null && memoryBudget.tryTake(len)) {
      memoryBytes += len;
      while (len > 0) {
        if (chunkUsed == CHUNK) {
          chunks.add(new byte[CHUNK]);
          chunkUsed = 0;
        }
        int n = Math.min(len, CHUNK - chunkUsed);
        System.arraycopy(b, off, chunks.get(chunks.size() - 1), chunkUsed, n);
        chunkUsed += n;
        off += n;
        len -= n;
      }
      return;
    }
    if (file == null) {
      file = Files.createTempFile(tempDir, "cog-spool-", ".tmp");
      fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }
    fileOut.write(b, off, len);
  }

  void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** Makes everything written readable; no writes after this. */
  void seal() throws IOException {
    if (fileOut != null) {
      fileOut.close();
      fileOut = null;
    }
  }

  /** A stream over [offset, offset + length) of the spooled bytes. */
  InputStream open(long offset, long length) throws IOException {
    List<InputStream> parts = new ArrayList<>();
    long end = offset + length;
    if (offset < memoryBytes) {
      long pos = offset;
      while (pos < Math.min(end, memoryBytes)) {
        int c = (int) (pos / CHUNK), in = (int) (pos % CHUNK);
        int n = (int) Math.min(CHUNK - in, Math.min(end, memoryBytes) - pos);
        parts.add(new ByteArrayInputStream(chunks.get(c), in, n));
        pos += n;
      }
    }
    if (end > memoryBytes) {
      long from = Math.max(offset, memoryBytes) - memoryBytes;
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(from);
      long n = end - Math.max(offset, memoryBytes);
      parts.add(bounded(Channels.newInputStream(ch), n));
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  private static InputStream bounded(InputStream in, long n) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() throws IOException {
        if (left <= 0) return -1;
        int b = in.read();
        if (b >= 0) left--;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) return -1;
        int r = in.read(b, off, (int) Math.min(len, left));
        if (r > 0) left -= r;
        return r;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  @Override
  public void close() {
    chunks.clear();
    memoryBudget.give(memoryBytes);
    memoryBytes = 0;
    try {
      if (fileOut != null) fileOut.close();
    } catch (IOException e) {
      // closing a temporary file we are about to delete
    }
    try {
      if (file != null) Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort: a temporary file
    }
  }
}
