package dev.hsipipeline.job;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes one S3 object sequentially through an {@link S3Upload}: bytes fill parts of {@link
 * #partSize(long)} bytes, each uploaded in the background while the next fills; an object that ends
 * within its first part is sent as one PutObject. There is no 5 GB single-PUT cap.
 *
 * <p><b>{@link #complete} publishes the object; {@link #close} without it aborts</b>, so a failure
 * inside try-with-resources leaves nothing under the key:
 *
 * <pre>{@code
 * try (S3UploadStream out = s3.openUpload(uri, "image/tiff", expectedBytes)) {
 *   write(out);
 *   out.complete();
 * }
 * }</pre>
 */
public final class S3UploadStream extends OutputStream {
  /** Smallest part size used (S3's minimum is 5 MiB). */
  public static final long MIN_PART_SIZE = 8L << 20;

  /** Parts planned for the expected size, leaving headroom below S3's 10 000. */
  static final int PLANNED_PARTS = 9_000;

  /** Without a good size estimate the part size doubles after every this many parts. */
  static final int PARTS_PER_SIZE_STEP = 1_000;

  private final S3Upload upload;
  private long partSize;
  private byte[] buffer;
  private int length;
  private int nextPart = 1;
  private long written;
  private S3Store.ObjectInfo result;

  S3UploadStream(S3Upload upload, long expectedBytes) {
    this.upload = upload;
    this.partSize = partSize(expectedBytes);
    this.buffer = upload.acquire((int) Math.min(partSize, Math.max(64 << 10, expectedBytes)));
  }

  /**
   * The part size for an object of about {@code expectedBytes} (0 or less: unknown): at least
   * {@value #MIN_PART_SIZE} bytes, else large enough for {@value #PLANNED_PARTS} parts, rounded up
   * to a MiB.
   */
  public static long partSize(long expectedBytes) {
    long perPart = Math.max(0, expectedBytes) / PLANNED_PARTS + 1;
    long rounded = (perPart + (1 << 20) - 1) & ~((1L << 20) - 1);
    return Math.min(S3Upload.MAX_PART_BYTES, Math.max(MIN_PART_SIZE, rounded));
  }

  /** The object being written. */
  public S3Uri uri() {
    return upload.uri();
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  @Override
  public void write(int b) {
    if (length == buffer.length) makeRoom();
    buffer[length++] = (byte) b;
    written++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (length == buffer.length) makeRoom();
      int n = Math.min(len, buffer.length - length);
      System.arraycopy(b, off, buffer, length, n);
      length += n;
      off += n;
      len -= n;
      written += n;
    }
  }

  /** The buffer is full: grow it up to the part size, or send it as a part. */
  private void makeRoom() {
    requireOpen();
    if (buffer.length < partSize) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, 2L * buffer.length));
      return;
    }
    byte[] full = buffer;
    buffer = null;
    upload.submit(nextPart, full, length);
    if (nextPart % PARTS_PER_SIZE_STEP == 0)
      partSize = Math.min(S3Upload.MAX_PART_BYTES, partSize * 2);
    nextPart++;
    length = 0;
    buffer = upload.acquire((int) partSize);
  }

  /**
   * Publishes the object: uploads what is buffered, waits for every part and completes the upload
   * (or sends one PutObject when everything fitted the first part).
   *
   * @throws JobFailure when any part or the completion failed (the upload is aborted)
   */
  public S3Store.ObjectInfo complete() {
    requireOpen();
    byte[] last = buffer;
    buffer = null;
    if (nextPart == 1) {
      try {
        result = upload.putObject(last, 0, length);
      } finally {
        upload.release(last);
      }
    } else {
      if (length > 0) upload.submit(nextPart, last, length);
      else upload.release(last);
      result = upload.complete();
    }
    return result;
  }

  /** Aborts the upload unless {@link #complete} succeeded. */
  @Override
  public void close() {
    if (result == null) upload.abort();
  }

  private void requireOpen() {
    if (result != null) throw new IllegalStateException(uri() + " is already complete");
    if (buffer == null) throw new IllegalStateException("the upload of " + uri() + " was aborted");
  }
}
