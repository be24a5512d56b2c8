package dev.hsipipeline.hsi.cog;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a COG's bytes go. A COG starts with its <em>head</em> (TIFF header, every IFD and the
 * overview tiles) and ends with its <em>body</em> (the full-resolution tiles). The writer knows the
 * head only at the end, so it streams the body first, in file order, and hands over the head last:
 *
 * <ol>
 *   <li>{@link #begin} once, with upper bounds of both sizes;
 *   <li>{@link #writeBody} any number of times, in order;
 *   <li>{@link #finish} once with the head; only now may the object become visible;
 * </ol>
 *
 * or, on any failure, {@link #abort}: afterwards nothing that looks like a finished object may
 * remain. S3 multipart upload fits this directly (parts may be uploaded in any order: the body as
 * parts 2..n while it streams, the head as part 1 at the end, see {@link MultipartCogSink}); a
 * local file spools the body and concatenates ({@link CogSinks#file}). See docs/adr/0107.
 */
public interface CogSink {
  /**
   * Called once before anything else.
   *
   * @param maxHeadBytes an upper bound of {@link Head#size()}
   * @param maxBodyBytes an upper bound of the total bytes passed to {@link #writeBody}
   */
  void begin(long maxHeadBytes, long maxBodyBytes) throws IOException;

  /** Appends body bytes; the array may be reused by the caller after the call returns. */
  void writeBody(byte[] bytes, int offset, int length) throws IOException;

  /** Completes the object: {@code head} followed by all body bytes, in that order. */
  void finish(Head head) throws IOException;

  /** Abandons the object and releases what was spooled. Idempotent; never throws. */
  void abort();

  /** The head of a COG: size known, readable as often as needed (e.g. to retry an upload). */
  interface Head {
    /** Bytes of the head. */
    long size();

    /** A stream over {@code length} head bytes starting at {@code offset}. */
    InputStream open(long offset, long length) throws IOException;
  }
}
