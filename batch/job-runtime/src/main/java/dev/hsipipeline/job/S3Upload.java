package dev.hsipipeline.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * One S3 object written in numbered parts (S3 multipart upload), in any order, several at a time,
 * with bounded memory; nothing is visible under the key until {@link #complete}. An object that
 * never needs more than one part is sent as a single PutObject instead ({@link #putObject}).
 *
 * <p>{@link #uploadPart} copies the bytes into one of at most {@link Settings#maxInFlight()} part
 * buffers and returns while the part uploads on a background thread; it blocks while that many are
 * in flight. A failed part fails the next call (and aborts the upload). {@link #complete} waits for
 * every part, checks S3's rule that every part but the last has at least {@value #MIN_PART_BYTES}
 * bytes (S3Proxy does not enforce it, AWS does), and completes the upload.
 *
 * <p>Nothing that looks finished is left by a failure: {@link #close} without {@link #complete}
 * aborts the upload (use try-with-resources), and while an upload is open a shutdown hook aborts it
 * when the JVM is stopped (SIGTERM: Batch terminating or timing out the job). A SIGKILL leaves an
 * incomplete upload, which is invisible as an object; the next upload of the same key aborts it (a
 * retry starts clean), and on AWS the bucket's lifecycle rule removes any others. See ADR 0110.
 */
public final class S3Upload implements AutoCloseable {
  /** S3's minimum size of every part but the last. */
  public static final long MIN_PART_BYTES = 5L << 20;

  /** Largest part this class handles (S3 allows 5 GiB; parts are held in Java arrays). */
  public static final long MAX_PART_BYTES = Integer.MAX_VALUE - 8;

  /** S3's highest part number. */
  public static final int MAX_PARTS = 10_000;

  /** Part buffers up to this size are kept for reuse (larger ones are allocated per part). */
  private static final int REUSED_BUFFER_LIMIT = 64 << 20;

  /**
   * How an upload runs.
   *
   * @param maxInFlight parts uploading at once; memory is about {@code maxInFlight} part buffers
   *     (plus the one a {@link S3UploadStream} is filling)
   */
  public record Settings(int maxInFlight) {
    /** Four parts in flight. */
    public static final Settings DEFAULT = new Settings(4);

    /** Validates. */
    public Settings {
      if (maxInFlight < 1 || maxInFlight > 64)
        throw new IllegalArgumentException("maxInFlight must be in 1..64, got " + maxInFlight);
    }
  }

  private enum State {
    OPEN,
    COMPLETED,
    ABORTED
  }

  private final S3Store store;
  private final S3Client s3;
  private final S3Uri uri;
  private final String contentType;
  private final Settings settings;
  private final Semaphore slots;
  private final Map<Integer, CompletableFuture<?>> partUploads = new HashMap<>(); // guarded by this
  private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
  private final Map<Integer, CompletedPart> parts = new TreeMap<>();
  private final Map<Integer, Long> partSizes = new TreeMap<>();
  private State state = State.OPEN;
  private String uploadId;
  private ExecutorService pool;
  private Thread shutdownHook;
  private RuntimeException failure;
  private boolean singlePut;

  S3Upload(S3Store store, S3Uri uri, String contentType, Settings settings) {
    this.store = store;
    this.s3 = store.client();
    this.uri = uri;
    this.contentType = contentType;
    this.settings = settings;
    this.slots = new Semaphore(settings.maxInFlight());
  }

  /** The object being written. */
  public S3Uri uri() {
    return uri;
  }

  /**
   * Uploads part {@code partNumber} (1..{@value #MAX_PARTS}) from {@code b[off, off + len)}; the
   * array may be reused as soon as this returns. Uploading the same number again replaces the part.
   *
   * @throws JobFailure when this or an earlier part failed (the upload is then aborted)
   */
  public void uploadPart(int partNumber, byte[] b, int off, int len) {
    byte[] buf = acquire(len);
    System.arraycopy(b, off, buf, 0, len);
    submit(partNumber, buf, len);
  }

  /** As {@link #uploadPart(int, byte[], int, int)}, reading exactly {@code length} bytes. */
  public void uploadPart(int partNumber, InputStream in, long length) throws IOException {
    if (length > MAX_PART_BYTES)
      throw new IllegalArgumentException("a part of " + length + " bytes is larger than 2 GiB");
    byte[] buf = acquire((int) length);
    try {
      int n = in.readNBytes(buf, 0, (int) length);
      if (n != length)
        throw new IOException(
            "part " + partNumber + " of " + uri + " ended after " + n + " of " + length + " bytes");
    } catch (IOException | RuntimeException e) {
      release(buf);
      throw e;
    }
    submit(partNumber, buf, (int) length);
  }

  /**
   * Writes the whole object in one request, for an object that fits one part; no part may have been
   * uploaded. The object is visible when this returns, so call it last.
   */
  public synchronized S3Store.ObjectInfo putObject(byte[] b, int off, int len) {
    requireOpen();
    if (uploadId != null || !parts.isEmpty())
      throw new IllegalStateException("putObject after parts were uploaded to " + uri);
    singlePut = true;
    try {
      PutObjectResponse r =
          s3.putObject(
              p -> p.bucket(uri.bucket()).key(uri.key()).contentType(contentType),
              RequestBody.fromContentProvider(
                  () -> new ByteArrayInputStream(b, off, len), len, contentType));
      state = State.COMPLETED;
      return new S3Store.ObjectInfo(uri, len, null, r.eTag());
    } catch (SdkException e) {
      throw fail(S3Store.classify(e, "PUT", uri));
    }
  }

  /**
   * Waits for every part and completes the upload: the object is then visible, made of the parts in
   * ascending part number order. With no part at all, an empty object is written.
   *
   * @throws JobFailure when a part failed or S3 rejects the completion (the upload is aborted)
   */
  public S3Store.ObjectInfo complete() {
    synchronized (this) {
      requireOpen();
      if (uploadId == null) return putObject(new byte[0], 0, 0);
    }
    awaitInFlight();
    synchronized (this) {
      requireOpen();
      List<Integer> numbers = new ArrayList<>(partSizes.keySet());
      long total = 0;
      for (int i = 0; i < numbers.size(); i++) {
        long size = partSizes.get(numbers.get(i));
        total += size;
        if (i < numbers.size() - 1 && size < MIN_PART_BYTES)
          throw fail(
              new IllegalStateException(
                  "part "
                      + numbers.get(i)
                      + " of "
                      + uri
                      + " has "
                      + size
                      + " bytes; S3 needs at least 5 MiB in every part but the last"));
      }
      List<CompletedPart> completed = new ArrayList<>(parts.values());
      try {
        String eTag =
            s3.completeMultipartUpload(
                    c ->
                        c.bucket(uri.bucket())
                            .key(uri.key())
                            .uploadId(uploadId)
                            .multipartUpload(m -> m.parts(completed)))
                .eTag();
        state = State.COMPLETED;
        closeResources();
        return new S3Store.ObjectInfo(uri, total, null, eTag);
      } catch (SdkException e) {
        throw fail(S3Store.classify(e, "CompleteMultipartUpload", uri));
      }
    }
  }

  /**
   * Abandons the object: stops the parts in flight and aborts the multipart upload. Idempotent,
   * never throws; a completed upload stays as it is.
   */
  public void abort() {
    String id;
    synchronized (this) {
      if (state != State.OPEN) return;
      state = State.ABORTED;
      id = uploadId;
      closeResources();
    }
    if (id == null) return;
    try {
      s3.abortMultipartUpload(a -> a.bucket(uri.bucket()).key(uri.key()).uploadId(id));
    } catch (SdkException e) {
      store.warn(
          "could not abort the multipart upload of "
              + uri
              + " ("
              + e.getMessage()
              + "); it stays invisible and the bucket's lifecycle rule or the next upload of"
              + " the key removes it");
    }
  }

  /** Aborts unless {@link #complete} or {@link #putObject} succeeded. */
  @Override
  public void close() {
    abort();
  }

  // ---------------------------------------------------------------- parts in flight

  /** A buffer of at least {@code len} bytes, once fewer than maxInFlight parts are in flight. */
  byte[] acquire(int len) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
    synchronized (this) {
      if (failure != null || state != State.OPEN) {
        slots.release();
        requireOpen();
      }
      for (var it = freeBuffers.iterator(); it.hasNext(); ) {
        byte[] b = it.next();
        if (b.length >= len) {
          it.remove();
          return b;
        }
      }
    }
    return new byte[len];
  }

  /** Gives back a buffer from {@link #acquire} that was not submitted. */
  synchronized void release(byte[] buf) {
    if (buf.length <= REUSED_BUFFER_LIMIT && freeBuffers.size() < settings.maxInFlight())
      freeBuffers.add(buf);
    slots.release();
  }

  /** Uploads {@code buf[0, len)} as part {@code partNumber}; takes ownership of the buffer. */
  void submit(int partNumber, byte[] buf, int len) {
    synchronized (this) {
      try {
        if (partNumber < 1 || partNumber > MAX_PARTS)
          throw new IllegalArgumentException(
              "part number " + partNumber + " is outside 1.." + MAX_PARTS);
        requireOpen();
        if (singlePut) throw new IllegalStateException("part after putObject for " + uri);
        if (uploadId == null) start();
      } catch (RuntimeException e) {
        release(buf);
        throw e;
      }
      partSizes.put(partNumber, (long) len);
      parts.remove(partNumber);
      String id = uploadId;
      // A part number sent again uploads only after its earlier upload ended, so the later bytes
      // (and their ETag) are the ones that stay, as the caller expects.
      Runnable upload = () -> uploadNow(id, partNumber, buf, len);
      CompletableFuture<?> earlier = partUploads.get(partNumber);
      partUploads.put(
          partNumber,
          earlier == null
              ? CompletableFuture.runAsync(upload, pool)
              : earlier.handleAsync(
                  (ignored, failure) -> {
                    upload.run();
                    return null;
                  },
                  pool));
    }
  }

  private void uploadNow(String id, int partNumber, byte[] buf, int len) {
    try {
      String eTag =
          s3.uploadPart(
                  u ->
                      u.bucket(uri.bucket())
                          .key(uri.key())
                          .uploadId(id)
                          .partNumber(partNumber)
                          .contentLength((long) len),
                  RequestBody.fromContentProvider(
                      () -> new ByteArrayInputStream(buf, 0, len), len, contentType))
              .eTag();
      synchronized (this) {
        parts.put(partNumber, CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
      }
    } catch (SdkException e) {
      recordFailure(S3Store.classify(e, "UploadPart " + partNumber + " of", uri));
    } catch (RuntimeException | Error e) {
      recordFailure(
          JobFailure.transientFailure(
              "UploadPart " + partNumber + " of " + uri + " failed: " + e, e));
    } finally {
      release(buf);
    }
  }

  private synchronized void recordFailure(RuntimeException e) {
    if (failure == null) failure = e;
  }

  private void awaitInFlight() {
    try {
      slots.acquire(settings.maxInFlight());
      slots.release(settings.maxInFlight());
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /** Keeps the interrupt, aborts the upload and returns the failure to throw. */
  private JobFailure interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    abort();
    return JobFailure.transientFailure("interrupted while uploading " + uri, e);
  }

  /** Cleans up what an earlier attempt left, creates the upload and arms the shutdown hook. */
  private void start() {
    store.abortIncompleteUploads(uri);
    try {
      uploadId =
          s3.createMultipartUpload(
                  c -> c.bucket(uri.bucket()).key(uri.key()).contentType(contentType))
              .uploadId();
    } catch (SdkException e) {
      throw fail(S3Store.classify(e, "CreateMultipartUpload", uri));
    }
    pool =
        Executors.newFixedThreadPool(
            settings.maxInFlight(), Thread.ofPlatform().name("s3-upload-", 1).daemon().factory());
    shutdownHook = new Thread(this::abort, "s3-upload-abort");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Throws the first part failure or a closed-state error, aborting on a failure. */
  private void requireOpen() {
    if (failure != null) throw fail(failure);
    if (state == State.COMPLETED) throw new IllegalStateException(uri + " is already complete");
    if (state == State.ABORTED)
      throw new IllegalStateException("the upload of " + uri + " was aborted");
  }

  /** Records the failure, aborts the upload and returns {@code e} for throwing. */
  private RuntimeException fail(RuntimeException e) {
    synchronized (this) {
      if (failure == null) failure = e;
    }
    abort();
    return e;
  }

  private void closeResources() {
    if (pool != null) pool.shutdownNow();
    freeBuffers.clear();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running or has run
      }
      shutdownHook = null;
    }
  }
}
