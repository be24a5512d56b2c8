package dev.hsipipeline.hsi.cog;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Local sinks: a file (atomically renamed into place) and a byte array. */
public final class CogSinks {
  private CogSinks() {}

  /**
   * A local file. The body is spooled to {@code <target>.<id>.body.tmp} next to the target; on
   * finish the head and the body are joined into {@code <target>.<id>.tmp} (an in-kernel copy) and
   * renamed atomically to {@code target}. A failure leaves no file at {@code target} (an earlier
   * file there stays as it was) and removes the temporary files.
   */
  public static CogSink file(Path target) {
    return new FileSink(target.toAbsolutePath());
  }

  /** Collects the COG in memory (small rasters, tests); {@link Memory#bytes()} after finish. */
  public static Memory memory() {
    return new Memory();
  }

  /** An in-memory sink. */
  public static final class Memory implements CogSink {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private byte[] bytes;

    private Memory() {}

    @Override
    public void begin(long maxHeadBytes, long maxBodyBytes) {}

    @Override
    public void writeBody(byte[] b, int off, int len) {
      body.write(b, off, len);
    }

    @Override
    public void finish(Head head) throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      try (InputStream in = head.open(0, head.size())) {
        in.transferTo(all);
      }
      body.writeTo(all);
      bytes = all.toByteArray();
    }

    @Override
    public void abort() {
      body.reset();
      bytes = null;
    }

    /** The finished COG, or null before finish / after abort. */
    public byte[] bytes() {
      return bytes;
    }
  }

  private static final class FileSink implements CogSink {
    private final Path target, body, joined;
    private OutputStream bodyOut;

    FileSink(Path target) {
      this.target = target;
      String id = target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8);
      this.body = target.resolveSibling(id + ".body.tmp");
      this.joined = target.resolveSibling(id + ".tmp");
    }

    @Override
    public void begin(long maxHeadBytes, long maxBodyBytes) throws IOException {
      Path dir = target.getParent();
      if (dir != null) Files.createDirectories(dir);
      bodyOut =
          new BufferedOutputStream(
              Files.newOutputStream(body, StandardOpenOption.CREATE_NEW), 1 << 20);
    }

    @Override
    public void writeBody(byte[] b, int off, int len) throws IOException {
      bodyOut.write(b, off, len);
    }

    @Override
    public void finish(Head head) throws IOException {
      bodyOut.close();
      try (FileChannel out =
              FileChannel.open(joined, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          FileChannel in = FileChannel.open(body, StandardOpenOption.READ)) {
        try (InputStream h = head.open(0, head.size())) {
          h.transferTo(java.nio.channels.Channels.newOutputStream(out));
        }
        long size = in.size(), pos = 0;
        while (pos < size) pos += in.transferTo(pos, size - pos, out);
      }
      Files.move(
          joined, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(body);
    }

    @Override
    public void abort() {
      try {
        if (bodyOut != null) bodyOut.close();
      } catch (IOException e) {
        // about to delete it
      }
      for (Path p : new Path[] {body, joined}) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: temporary files with a .tmp name never look finished
        }
      }
    }
  }
}
