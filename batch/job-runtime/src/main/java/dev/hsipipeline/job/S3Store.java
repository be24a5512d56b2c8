package dev.hsipipeline.job;

import dev.hsipipeline.job.internal.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 access for jobs with failures already classified: a missing object or bucket is a permanent
 * {@link JobFailure} naming the s3:// URI, throttling/5xx/connection errors are transient. Reads
 * stream (ranged GETs that resume after a dropped connection); large writes use multipart upload
 * ({@link #openUpload}, {@link #startUpload}).
 */
public final class S3Store {
  private final S3Client s3;
  private final Consumer<String> warnings;
  private final S3Upload.Settings uploads;

  /** Wraps a client (the store does not close it); warnings are dropped. */
  public S3Store(S3Client s3) {
    this(s3, message -> {}, S3Upload.Settings.DEFAULT);
  }

  /**
   * Wraps a client (the store does not close it).
   *
   * @param warnings receives problems that do not fail the job (e.g. a stale upload that could not
   *     be aborted)
   * @param uploads how multipart uploads run
   */
  public S3Store(S3Client s3, Consumer<String> warnings, S3Upload.Settings uploads) {
    this.s3 = s3;
    this.warnings = warnings;
    this.uploads = uploads;
  }

  /** For calls the store does not wrap; errors from it are not classified. */
  public S3Client client() {
    return s3;
  }

  /** Object metadata. */
  public record ObjectInfo(S3Uri uri, long size, Instant lastModified, String eTag) {}

  /** HEAD; a missing object fails permanently naming the URI. */
  public ObjectInfo head(S3Uri uri) {
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(uri.bucket()).key(uri.key()));
      return new ObjectInfo(uri, r.contentLength(), r.lastModified(), r.eTag());
    } catch (SdkException e) {
      throw classify(e, "HEAD", uri);
    }
  }

  /** True if the object exists. */
  public boolean exists(S3Uri uri) {
    try {
      head(uri);
      return true;
    } catch (JobFailure f) {
      if (f.isPermanent() && f.getMessage().startsWith("missing object")) return false;
      throw f;
    }
  }

  /**
   * Reads a small object fully (item, header, event payload).
   *
   * @throws JobFailure permanent when missing or larger than {@code maxBytes}
   */
  public byte[] readBytes(S3Uri uri, long maxBytes) {
    ObjectInfo info = head(uri);
    if (info.size() > maxBytes) {
      throw JobFailure.permanent(
          "object "
              + uri
              + " is "
              + info.size()
              + " bytes, more than the "
              + maxBytes
              + " bytes allowed for it");
    }
    try {
      return s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key()), ResponseTransformer.toBytes())
          .asByteArray();
    } catch (SdkException e) {
      throw classify(e, "GET", uri);
    }
  }

  /** {@link #readBytes} as UTF-8 text. */
  public String readString(S3Uri uri, long maxBytes) {
    return new String(readBytes(uri, maxBytes), StandardCharsets.UTF_8);
  }

  /**
   * Streams {@code length} bytes from {@code offset} with ranged GETs. A dropped connection resumes
   * at the current position (up to 3 times); a stream that ends early (object shorter than
   * requested) simply ends, so the caller can report expected vs actual bytes.
   */
  public InputStream open(S3Uri uri, long offset, long length) {
    return new RangeStream(s3, uri, offset, offset + length, e -> classify(e, "GET", uri));
  }

  /**
   * {@link #open} pinned to the object version the job saw when it started ({@code eTag} from
   * {@link #head}): every ranged GET carries {@code If-Match}, so an object replaced mid-job fails
   * permanently with "source replaced" instead of mixing bytes of two versions.
   */
  public InputStream openPinned(S3Uri uri, long offset, long length, String eTag) {
    return new RangeStream(s3, uri, offset, offset + length, eTag, e -> classify(e, "GET", uri));
  }

  /** Writes (or overwrites) the object; failures become a {@link JobFailure} naming it. */
  public void put(S3Uri uri, byte[] body, String contentType) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(uri.bucket())
              .key(uri.key())
              .contentType(contentType)
              .build(),
          RequestBody.fromBytes(body));
    } catch (SdkException e) {
      throw classify(e, "PUT", uri);
    }
  }

  /** {@link #put} of {@code body} encoded as UTF-8. */
  public void putString(S3Uri uri, String body, String contentType) {
    put(uri, body.getBytes(StandardCharsets.UTF_8), contentType);
  }

  /** Uploads a local file, streamed from disk (multipart when larger than one part). */
  public ObjectInfo putFile(S3Uri uri, Path file, String contentType) {
    try (InputStream in = Files.newInputStream(file);
        S3UploadStream out = openUpload(uri, contentType, Files.size(file))) {
      in.transferTo(out);
      return out.complete();
    } catch (IOException e) {
      throw JobFailure.transientFailure("reading " + file + " for " + uri + " failed: " + e, e);
    }
  }

  /**
   * An object written sequentially, in parts sized for about {@code expectedBytes} (0: unknown).
   * Call {@link S3UploadStream#complete} to publish it; closing without that aborts.
   */
  public S3UploadStream openUpload(S3Uri uri, String contentType, long expectedBytes) {
    return new S3UploadStream(startUpload(uri, contentType), expectedBytes);
  }

  /**
   * An object written as numbered parts in any order ({@link S3Upload}). Nothing is sent before the
   * first part.
   */
  public S3Upload startUpload(S3Uri uri, String contentType) {
    return new S3Upload(this, uri, contentType, uploads);
  }

  /**
   * Aborts the incomplete multipart uploads of exactly this key, e.g. of an attempt that was
   * killed, so their parts stop costing storage; returns how many. Best effort: a failure to list
   * or abort is reported to the warnings and ignored (the bucket's lifecycle rule is the backstop
   * on AWS).
   */
  public int abortIncompleteUploads(S3Uri uri) {
    int aborted = 0;
    try {
      for (var page :
          s3.listMultipartUploadsPaginator(b -> b.bucket(uri.bucket()).prefix(uri.key()))) {
        for (MultipartUpload u : page.uploads()) {
          if (!u.key().equals(uri.key())) continue;
          s3.abortMultipartUpload(
              a -> a.bucket(uri.bucket()).key(uri.key()).uploadId(u.uploadId()));
          aborted++;
        }
      }
    } catch (SdkException e) {
      warn(
          "could not clean up earlier incomplete uploads of "
              + uri
              + " ("
              + e.getMessage()
              + "); they stay invisible until the bucket's lifecycle rule removes them");
    }
    if (aborted > 0)
      warn(
          "aborted " + aborted + " incomplete upload(s) of " + uri + " left by an earlier attempt");
    return aborted;
  }

  void warn(String message) {
    warnings.accept(message);
  }

  /** Keys under a prefix (all pages). */
  public List<String> listKeys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      for (var page :
          s3.listObjectsV2Paginator(
              ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
        for (S3Object o : page.contents()) keys.add(o.key());
      }
    } catch (SdkException e) {
      throw classify(e, "LIST", new S3Uri(bucket, prefix.isEmpty() ? "*" : prefix + "*"));
    }
    return keys;
  }

  /** Maps an SDK error to a permanent or transient {@link JobFailure} naming the URI. */
  public static JobFailure classify(SdkException e, String action, S3Uri uri) {
    if (e instanceof S3Exception s) {
      int status = s.statusCode();
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      if ("NoSuchBucket".equals(code))
        return JobFailure.permanent(
            "missing bucket: " + uri + " (bucket '" + uri.bucket() + "' does not exist)", e);
      if ("NoSuchUpload".equals(code))
        return JobFailure.transientFailure(
            action
                + " "
                + uri
                + ": the multipart upload no longer exists (aborted by another attempt or a"
                + " cleanup); a retry starts a new one",
            e);
      if (status == 404 || "NoSuchKey".equals(code)) return JobFailure.missingObject(uri);
      if (s.isThrottlingException())
        return JobFailure.transientFailure(action + " " + uri + " throttled: " + s.getMessage(), e);
      if (status == 403)
        return JobFailure.permanent("access denied: " + action + " " + uri + " (" + code + ")", e);
      if (status == 400 && !"RequestTimeout".equals(code))
        return JobFailure.permanent(action + " " + uri + " rejected: " + s.getMessage(), e);
      return JobFailure.transientFailure(
          action + " " + uri + " failed with HTTP " + status + " " + code + ": " + s.getMessage(),
          e);
    }
    if (e instanceof SdkClientException)
      return JobFailure.transientFailure(action + " " + uri + " failed: " + e.getMessage(), e);
    return JobFailure.transientFailure(action + " " + uri + " failed: " + e.getMessage(), e);
  }
}
