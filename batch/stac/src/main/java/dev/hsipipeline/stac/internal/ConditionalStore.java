package dev.hsipipeline.stac.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * JSON documents on S3 read with their ETag and written with S3 conditional writes: {@code
 * If-None-Match: *} to create, {@code If-Match: <etag>} to replace what was read. A lost race (412
 * PreconditionFailed, 409 ConditionalRequestConflict, or a conditional PUT left unanswered whose
 * document is not what S3 now holds) is an outcome the caller retries, not an error.
 */
public final class ConditionalStore {
  private final S3Client s3;
  private final ObjectMapper json;

  /** Uses the client (not closed here). */
  public ConditionalStore(S3Client s3, ObjectMapper json) {
    this.s3 = s3;
    this.json = json;
  }

  /** A document and the ETag it was read at. */
  public record Versioned(JsonNode doc, String eTag) {}

  /** How a conditional write ended. */
  public enum Outcome {
    /** Written. */
    WRITTEN,
    /** Another writer got there first (412 or 409): read again and retry. */
    LOST_RACE,
    /** If-Match named an object that no longer exists (404). */
    GONE
  }

  /**
   * GET with the ETag; empty when the object does not exist.
   *
   * @throws JobFailure permanent when the document is not JSON (naming the URI), else classified
   */
  public Optional<Versioned> read(S3Uri uri) {
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty();
      throw S3Store.classify(e, "GET", uri);
    } catch (SdkException e) {
      throw S3Store.classify(e, "GET", uri);
    }
    try {
      return Optional.of(
          new Versioned(json.readTree(bytes.asByteArray()), bytes.response().eTag()));
    } catch (java.io.IOException e) {
      throw JobFailure.corrupt(
          uri, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  /** PUT only if the key does not exist yet ({@code If-None-Match: *}). */
  public Outcome create(S3Uri uri, byte[] body, String contentType) {
    return put(uri, body, contentType, null, "*");
  }

  /** PUT only if the object still has {@code eTag} ({@code If-Match}). */
  public Outcome replace(S3Uri uri, byte[] body, String contentType, String eTag) {
    return put(uri, body, contentType, eTag, null);
  }

  /** Unconditional PUT. */
  public void write(S3Uri uri, byte[] body, String contentType) {
    put(uri, body, contentType, null, null);
  }

  private Outcome put(S3Uri uri, byte[] body, String type, String ifMatch, String ifNoneMatch) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(uri.bucket())
              .key(uri.key())
              .contentType(type)
              .ifMatch(ifMatch)
              .ifNoneMatch(ifNoneMatch)
              .build(),
          RequestBody.fromBytes(body));
      return Outcome.WRITTEN;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) return Outcome.LOST_RACE;
      if (ifMatch != null && e.statusCode() == 404) return Outcome.GONE;
      throw S3Store.classify(e, "PUT", uri);
    } catch (SdkClientException e) {
      if (ifMatch == null && ifNoneMatch == null) throw S3Store.classify(e, "PUT", uri);
      return unanswered(uri, body);
    } catch (SdkException e) {
      throw S3Store.classify(e, "PUT", uri);
    }
  }

  /**
   * A conditional PUT that got no answer (the connection broke: a server may refuse a condition
   * before it has read the body, and the client then fails writing it). The object tells what
   * happened: our document means the write landed, anything else that it did not, which the caller
   * handles like a lost race by reading again.
   */
  private Outcome unanswered(S3Uri uri, byte[] body) {
    Optional<Versioned> now = read(uri);
    try {
      if (now.isPresent() && now.get().doc().equals(json.readTree(body))) return Outcome.WRITTEN;
    } catch (java.io.IOException e) {
      // Our own body is not JSON: it cannot be the object read back.
    }
    return Outcome.LOST_RACE;
  }
}
