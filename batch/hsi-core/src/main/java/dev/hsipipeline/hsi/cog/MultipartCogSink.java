package dev.hsipipeline.hsi.cog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * A {@link CogSink} for S3-style multipart upload, independent of any SDK: the caller implements
 * {@link PartStore} (for S3: CreateMultipartUpload on the first part, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, PutObject).
 *
 * <p>Parts may be uploaded in any order and their numbers need not be contiguous, so the body
 * (full-resolution tiles) streams out as parts numbered after a reserved range while the COG is
 * being written, and the head — known last — goes into the reserved low numbers when the writer
 * finishes. S3 wants every part but the last to be at least 5 MiB: the first body part is held back
 * and uploaded together with the head, so a small head never makes a small part. A COG whose body
 * fits one part is sent as a single PutObject. Until {@link PartStore#complete} nothing is visible;
 * {@link #abort} aborts the upload. Memory: two part buffers. See docs/adr/0107.
 */
public final class MultipartCogSink implements CogSink {
  /** S3's limits. */
  public static final long MIN_PART = 5L << 20, MAX_PART = 5L << 30;

  /** S3's maximum part number. */
  public static final int MAX_PARTS = 10_000;

  /**
   * Bytes of one part, readable again (an upload may be retried); valid only during the call that
   * receives it.
   */
  public interface PartData {
    long length();

    InputStream open() throws IOException;
  }

  /** The object store side of a multipart upload. */
  public interface PartStore {
    /** Stores the whole object in one request (used when it fits one part). */
    void putObject(PartData data) throws IOException;

    /** Uploads part {@code partNumber} (1..10000); the first call starts the upload. */
    void uploadPart(int partNumber, PartData data) throws IOException;

    /** Completes the upload from every uploaded part, in ascending part number order. */
    void complete() throws IOException;

    /** Aborts the upload if one was started; never throws. */
    void abort();
  }

  private final PartStore store;
  private final long preferredPartSize;
  private int headParts;
  private byte[] prefix, buffer;
  private int prefixLength, bufferLength;
  private int nextPart;
  private boolean multipart, closed;

  /**
   * @param store the object store
   * @param partSize preferred body part size, at least {@link #MIN_PART}; raised when the object
   *     could otherwise need more than 10 000 parts
   */
  public MultipartCogSink(PartStore store, long partSize) {
    if (partSize < MIN_PART || partSize > Integer.MAX_VALUE - 16)
      throw new IllegalArgumentException(
          "partSize must be between 5 MiB and 2 GiB, got " + partSize);
    this.store = store;
    this.preferredPartSize = partSize;
  }

  /** With 16 MiB parts. */
  public MultipartCogSink(PartStore store) {
    this(store, 16L << 20);
  }

  @Override
  public void begin(long maxHeadBytes, long maxBodyBytes) {
    // the head and the held-back first body part, in parts of at most 5 GiB
    headParts = (int) Math.max(1, (maxHeadBytes + preferredPartSize + MAX_PART - 1) / MAX_PART);
    long bodyParts = MAX_PARTS - headParts;
    long size = Math.max(preferredPartSize, (maxBodyBytes + bodyParts - 1) / bodyParts);
    if (size > Integer.MAX_VALUE - 16)
      throw new IllegalArgumentException(
          "a COG body of up to " + maxBodyBytes + " bytes needs parts larger than 2 GiB");
    buffer = new byte[(int) size];
    nextPart = headParts + 1;
  }

  /** Bytes per body part (after {@link #begin}). */
  public int partSize() {
    return buffer.length;
  }

  @Override
  public void writeBody(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (bufferLength == buffer.length) flushBuffer();
      int n = Math.min(len, buffer.length - bufferLength);
      System.arraycopy(b, off, buffer, bufferLength, n);
      bufferLength += n;
      off += n;
      len -= n;
    }
  }

  private void flushBuffer() throws IOException {
    if (prefix == null) {
      prefix = buffer;
      prefixLength = bufferLength;
      buffer = new byte[prefix.length];
    } else {
      multipart = true;
      store.uploadPart(nextPart++, bytes(buffer, bufferLength));
    }
    bufferLength = 0;
  }

  @Override
  public void finish(Head head) throws IOException {
    if (prefix == null) {
      // the whole body fits one part: one request
      store.putObject(joined(head, buffer, bufferLength, 0, head.size() + bufferLength));
      closed = true;
      return;
    }
    long total = head.size() + prefixLength;
    int n = (int) ((total + MAX_PART - 1) / MAX_PART);
    if (n > headParts) throw new IllegalStateException("head larger than its reserved parts");
    long per = (total + n - 1) / n;
    for (int i = 0; i < n; i++) {
      long from = i * per, to = Math.min(total, from + per);
      store.uploadPart(i + 1, joined(head, prefix, prefixLength, from, to - from));
    }
    if (bufferLength > 0) store.uploadPart(nextPart++, bytes(buffer, bufferLength));
    store.complete();
    closed = true;
  }

  @Override
  public void abort() {
    if (closed) return;
    closed = true;
    store.abort();
  }

  private static PartData bytes(byte[] b, int len) {
    return new PartData() {
      public long length() {
        return len;
      }

      public InputStream open() {
        return new ByteArrayInputStream(b, 0, len);
      }
    };
  }

  /** Bytes [from, from + length) of head followed by {@code tail[0, tailLength)}. */
  private static PartData joined(Head head, byte[] tail, int tailLength, long from, long length) {
    long headSize = head.size();
    return new PartData() {
      public long length() {
        return length;
      }

      public InputStream open() throws IOException {
        long end = from + length;
        InputStream h =
            from < headSize
                ? head.open(from, Math.min(end, headSize) - from)
                : InputStream.nullInputStream();
        if (end <= headSize) return h;
        int t0 = (int) Math.max(0, from - headSize);
        return new SequenceInputStream(
            h, new ByteArrayInputStream(tail, t0, (int) (end - headSize) - t0));
      }
    };
  }
}
