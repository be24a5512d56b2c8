package dev.hsipipeline.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The {@code arn:aws:states:::aws-sdk:s3:getObject} integration, as Step Functions runs it: the
 * call goes to S3 signed with the state machine role's credentials (so the local S3 checks the
 * signature and authorises it against {@code policies/state-machine.json} and the bucket policy,
 * like AWS), and the result is GetObject's response with PascalCase members and the {@code Body} as
 * a UTF-8 string. An S3 error fails the task with AWS's name for it, {@code S3.} + the SDK
 * exception ({@code S3.NoSuchKeyException}, {@code S3.NoSuchBucketException}, {@code
 * S3.AccessDeniedException} with this SDK, {@code S3.S3Exception} for 5xx and codes the SDK does
 * not model) and the SDK's message as the cause — "The specified key does not exist. (Service: S3,
 * Status Code: 404, Request ID: …)".
 */
public final class S3GetObjectTask implements TaskInvoker, AutoCloseable {

  /** The resource this integration serves. */
  public static final String RESOURCE = "arn:aws:states:::aws-sdk:s3:getObject";

  private static final Set<String> PARAMETERS =
      Set.of("Bucket", "Key", "VersionId", "Range", "IfMatch", "IfNoneMatch");

  private final S3Client s3;

  private S3GetObjectTask(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * A task calling the S3 at {@code endpoint} as the principal with these credentials; {@link
   * #close} closes its client.
   */
  public static S3GetObjectTask connect(
      URI endpoint, String region, String accessKeyId, String secretAccessKey) {
    return new S3GetObjectTask(
        S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            .httpClient(UrlConnectionHttpClient.create())
            // The state's Retry decides about retries, as on AWS, and the history shows them.
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build());
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation)
      throws TaskFailedException, InterruptedException {
    if (!RESOURCE.equals(invocation.resource())) {
      throw new TaskFailedException(
          "States.Runtime",
          "S3GetObjectTask serves " + RESOURCE + ", not '" + invocation.resource() + "'");
    }
    GetObjectRequest request = request(invocation.parameters());
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = s3.getObjectAsBytes(request);
    } catch (AbortedException e) {
      throw new InterruptedException("GetObject interrupted: " + e.getMessage());
    } catch (SdkException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("GetObject interrupted: " + e.getMessage());
      }
      throw new TaskFailedException("S3." + e.getClass().getSimpleName(), cause(e));
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("GetObject interrupted");
    }
    return result(bytes.response(), new String(bytes.asByteArray(), StandardCharsets.UTF_8));
  }

  /** The request from the state's effective Parameters; a shape error names the field. */
  static GetObjectRequest request(JsonNode parameters) throws TaskFailedException {
    if (parameters == null || !parameters.isObject()) {
      throw invalid("the Parameters of an aws-sdk:s3:getObject task must be an object");
    }
    for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!PARAMETERS.contains(name)) {
        throw invalid(
            "The field '"
                + name
                + "' is not supported by the local aws-sdk:s3:getObject (it takes "
                + String.join(", ", new java.util.TreeSet<>(PARAMETERS))
                + ")");
      }
      if (!parameters.get(name).isTextual()) {
        throw invalid("The field '" + name + "' must be a string, got " + parameters.get(name));
      }
    }
    String bucket = parameters.path("Bucket").asText("");
    String key = parameters.path("Key").asText("");
    if (bucket.isEmpty() || key.isEmpty()) {
      throw invalid(
          "aws-sdk:s3:getObject needs non-empty 'Bucket' and 'Key', got " + parameters.toString());
    }
    return GetObjectRequest.builder()
        .bucket(bucket)
        .key(key)
        .versionId(text(parameters, "VersionId"))
        .range(text(parameters, "Range"))
        .ifMatch(text(parameters, "IfMatch"))
        .ifNoneMatch(text(parameters, "IfNoneMatch"))
        .build();
  }

  /** GetObject's response members as Step Functions returns them (absent members left out). */
  static ObjectNode result(GetObjectResponse r, String body) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    put(out, "AcceptRanges", r.acceptRanges());
    out.put("Body", body);
    put(out, "CacheControl", r.cacheControl());
    put(out, "ContentDisposition", r.contentDisposition());
    put(out, "ContentEncoding", r.contentEncoding());
    put(out, "ContentLanguage", r.contentLanguage());
    if (r.contentLength() != null) out.put("ContentLength", r.contentLength());
    put(out, "ContentRange", r.contentRange());
    put(out, "ContentType", r.contentType());
    put(out, "ETag", r.eTag());
    if (r.lastModified() != null) out.put("LastModified", r.lastModified().toString());
    ObjectNode metadata = out.putObject("Metadata");
    r.metadata().forEach(metadata::put);
    put(out, "ServerSideEncryption", r.serverSideEncryptionAsString());
    put(out, "StorageClass", r.storageClassAsString());
    put(out, "VersionId", r.versionId());
    return out;
  }

  /** The SDK's message without the client-side attempt count Step Functions does not show. */
  static String cause(SdkException e) {
    String m = String.valueOf(e.getMessage());
    return m.replaceFirst(" \\(SDK Attempt Count: \\d+\\)$", "");
  }

  private static void put(ObjectNode out, String name, String value) {
    if (value != null) out.put(name, value);
  }

  private static String text(JsonNode parameters, String name) {
    JsonNode v = parameters.get(name);
    return v == null ? null : v.asText();
  }

  private static TaskFailedException invalid(String message) {
    return new TaskFailedException("States.Runtime", message);
  }

  @Override
  public void close() {
    s3.close();
  }
}
