package dev.hsipipeline.trigger.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Writes offloaded bodies to S3 with one SigV4-signed {@code PutObject} request.
 *
 * <p>Why not {@code S3Client}: the SDK's S3 module is ~4 MB compressed (every S3 operation is
 * referenced by the client, so shading cannot minimise it) and would push the function artifact
 * past 8 MB, slowing every cold start; the trigger needs exactly one call. This class uses the
 * SDK's own public SigV4 signer ({@link AwsV4HttpSigner}), credentials provider and HTTP client, so
 * signing is the SDK's, not ours. Addressing: virtual-hosted on AWS ({@code
 * https://bucket.s3.region.amazonaws.com/key}), path-style when an endpoint override is set or the
 * bucket name has dots. Throttling (429/503), 5xx and I/O errors are retried by the SDK's own
 * standard retry strategy (exponential backoff with full jitter from 100 ms, from 1 s when
 * throttled, at most 20 s; the retry-token bucket that stops retrying a failing service), shared by
 * all records of a function instance like an SDK client's.
 */
public final class S3PayloadStore {

  private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpointOverride;
  private final RetryStrategy retries;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param endpointOverride e.g. {@code http://127.0.0.1:9000} (path-style), or {@code null} for
   *     AWS
   */
  public S3PayloadStore(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      Region region,
      URI endpointOverride,
      int maxAttempts) {
    this.http = http;
    this.credentials = credentials;
    this.region = region;
    this.endpointOverride = endpointOverride;
    this.retries =
        StandardRetryStrategy.builder()
            .maxAttempts(maxAttempts)
            .retryOnException(e -> e instanceof S3WriteException w && w.retryable())
            .treatAsThrottling(e -> e instanceof S3WriteException w && w.throttled())
            .backoffStrategy(
                BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)))
            .build();
  }

  /** Failure of a PutObject, with the S3 error code when S3 answered. */
  public static final class S3WriteException extends RuntimeException {
    private final int status;

    S3WriteException(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
      return status;
    }

    /** No answer, throttling or a server error: worth another attempt. */
    boolean retryable() {
      return status == 0 || status == 429 || status >= 500;
    }

    boolean throttled() {
      return status == 429 || status == 503;
    }
  }

  /** Stores {@code body} (UTF-8) at {@code s3://bucket/key}, overwriting (idempotent). */
  public void put(String bucket, String key, String body, String contentType) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String sha256 = HexFormat.of().formatHex(sha256(bytes));
    URI url = objectUrl(bucket, key);
    RetryToken token =
        retries.acquireInitialToken(AcquireInitialTokenRequest.create("s3:PutObject")).token();
    while (true) {
      try {
        putOnce(bucket, key, url, bytes, sha256, contentType);
        retries.recordSuccess(RecordSuccessRequest.create(token));
        return;
      } catch (S3WriteException e) {
        RefreshRetryTokenResponse next;
        try {
          next =
              retries.refreshRetryToken(
                  RefreshRetryTokenRequest.builder().token(token).failure(e).build());
        } catch (TokenAcquisitionFailedException noRetry) {
          throw e; // not retryable, attempts used up, or the retry budget is spent
        }
        sleep(next.delay());
        token = next.token();
      }
    }
  }

  private void putOnce(
      String bucket, String key, URI url, byte[] bytes, String sha256, String contentType) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.PUT)
            .uri(url)
            .putHeader("Content-Type", contentType)
            .putHeader("Content-Length", Integer.toString(bytes.length))
            .putHeader("x-amz-content-sha256", sha256)
            .build();
    ContentStreamProvider payload = ContentStreamProvider.fromByteArrayUnsafe(bytes);
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(credentials.resolveIdentity().join())
                    .request(request)
                    .payload(payload)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false));
    int status;
    String text;
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(payload))
                      .build())
              .call();
      status = response.httpResponse().statusCode();
      text = readAndClose(response);
    } catch (IOException e) {
      throw new S3WriteException("PutObject s3://" + bucket + "/" + key + " failed: " + e, 0, e);
    }
    if (status / 100 != 2) {
      throw new S3WriteException(describe(bucket, key, status, text), status, null);
    }
  }

  URI objectUrl(String bucket, String key) {
    String encodedKey = SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    if (endpointOverride != null || bucket.contains(".")) {
      URI base =
          endpointOverride != null
              ? endpointOverride
              : URI.create(
                  "https://s3." + region.id() + "." + region.metadata().partition().dnsSuffix());
      String path =
          base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
      return URI.create(
          base.getScheme()
              + "://"
              + base.getRawAuthority()
              + path
              + "/"
              + bucket
              + "/"
              + encodedKey);
    }
    return URI.create(
        "https://"
            + bucket
            + ".s3."
            + region.id()
            + "."
            + region.metadata().partition().dnsSuffix()
            + "/"
            + encodedKey);
  }

  private static String describe(String bucket, String key, int status, String xml) {
    Matcher code = XML_CODE.matcher(xml);
    Matcher message = XML_MESSAGE.matcher(xml);
    return "PutObject s3://"
        + bucket
        + "/"
        + key
        + " failed: "
        + (code.find() ? code.group(1) : "HTTP error")
        + " (HTTP "
        + status
        + ")"
        + (message.find() ? ": " + message.group(1) : "");
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S3WriteException("interrupted while retrying PutObject", 0, e);
    }
  }

  private static String readAndClose(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return "";
    }
    try (InputStream in = response.responseBody().get()) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
