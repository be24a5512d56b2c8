package dev.hsipipeline.job.internal;

import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A ranged GET stream over [start, end) that reopens at its position after an I/O error. */
public final class RangeStream extends InputStream {
  private static final int MAX_RESUMES = 3;
  private final S3Client s3;
  private final S3Uri uri;
  private final long end;
  private final Function<SdkException, JobFailure> classify;
  private final String eTag;
  private long pos;
  private InputStream current;
  private int resumes;
  private boolean eof;

  /** Reads bytes [start, end) of the object. */
  public RangeStream(
      S3Client s3, S3Uri uri, long start, long end, Function<SdkException, JobFailure> classify) {
    this(s3, uri, start, end, null, classify);
  }

  /**
   * Reads bytes [start, end) of the object version with {@code eTag} (null: whatever is current):
   * every GET, resumes included, carries {@code If-Match}, so a replaced object fails with 412
   * instead of mixing bytes of two versions.
   */
  public RangeStream(
      S3Client s3,
      S3Uri uri,
      long start,
      long end,
      String eTag,
      Function<SdkException, JobFailure> classify) {
    this.s3 = s3;
    this.uri = uri;
    this.pos = start;
    this.end = end;
    this.eTag = eTag;
    this.classify = classify;
  }

  private boolean ensureOpen() {
    if (current != null) return true;
    if (eof || pos >= end) return false;
    try {
      current =
          s3.getObject(
              b ->
                  b.bucket(uri.bucket())
                      .key(uri.key())
                      .ifMatch(eTag)
                      .range("bytes=" + pos + "-" + (end - 1)));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 416) { // range starts beyond the object: it is shorter than asked
        eof = true;
        return false;
      }
      if (e.statusCode() == 412 && eTag != null) throw JobFailure.sourceReplaced(uri, eTag);
      throw classify.apply(e);
    } catch (SdkException e) {
      throw classify.apply(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (true) {
      if (!ensureOpen()) return -1;
      try {
        int n = current.read(b, off, (int) Math.min(len, end - pos));
        if (n < 0) {
          eof = true; // the object ended (possibly early: the caller compares sizes)
          closeCurrent();
          return -1;
        }
        pos += n;
        return n;
      } catch (IOException e) {
        closeCurrent();
        if (++resumes > MAX_RESUMES) {
          throw JobFailure.transientFailure(
              "reading "
                  + uri
                  + " at byte "
                  + pos
                  + " failed after "
                  + MAX_RESUMES
                  + " resumes: "
                  + e.getMessage(),
              e);
        }
      }
    }
  }

  private void closeCurrent() {
    if (current == null) return;
    try {
      // abort rather than drain the rest of the range
      if (current instanceof software.amazon.awssdk.http.Abortable a) a.abort();
      current.close();
    } catch (IOException ignored) {
      // closing a broken connection
    }
    current = null;
  }

  @Override
  public void close() {
    closeCurrent();
    eof = true;
  }
}
