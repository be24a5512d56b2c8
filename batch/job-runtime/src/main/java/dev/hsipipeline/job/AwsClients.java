package dev.hsipipeline.job;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * SDK clients configured from a {@link JobEnv}: url-connection HTTP client (no netty/apache),
 * region and credentials from the env (else the default chain: container role on Batch), and
 * path-style S3 addressing whenever an endpoint override is set (local S3 servers).
 */
public final class AwsClients {
  /** Bodies at least this large are sent with {@code Expect: 100-continue}. */
  static final long EXPECT_CONTINUE_MIN_BYTES = 1L << 20;

  private AwsClients() {}

  /** For the job's objects: long socket timeout for ranged reads of large cubes. */
  public static S3Client s3(JobEnv env) {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofMinutes(2)))
            .region(Region.of(env.region()))
            .credentialsProvider(credentials(env))
            // Checksums only where the API requires them: S3-compatible local servers do not
            // all understand the SDK's default flexible-checksum trailers.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            // A small body goes out with its headers. With "Expect: 100-continue" a server that
            // refuses a conditional write (412/409) before reading the body makes this HTTP
            // client report "Error writing request body" instead of the status the catalog's
            // compare-and-swap retries on; large multipart parts keep the header.
            .serviceConfiguration(
                S3Configuration.builder()
                    .expectContinueThresholdInBytes(EXPECT_CONTINUE_MIN_BYTES)
                    .build());
    if (env.s3Endpoint() != null) b.endpointOverride(env.s3Endpoint()).forcePathStyle(true);
    return b.build();
  }

  /** For the messages a job sends on (the activator's to the processor queue). */
  public static SqsClient sqs(JobEnv env) {
    SqsClientBuilder b =
        SqsClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)))
            .region(Region.of(env.region()))
            .credentialsProvider(credentials(env));
    if (env.sqsEndpoint() != null) b.endpointOverride(env.sqsEndpoint());
    return b.build();
  }

  /**
   * Keys from the env map when present (tests pass a map, not the process env), else the default
   * chain.
   */
  static AwsCredentialsProvider credentials(JobEnv env) {
    var id = env.get("AWS_ACCESS_KEY_ID");
    var secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id.isPresent() && secret.isPresent()) {
      var token = env.get("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(
          token.isPresent()
              ? AwsSessionCredentials.create(id.get(), secret.get(), token.get())
              : AwsBasicCredentials.create(id.get(), secret.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
