package dev.hsipipeline.stac.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.local.aws.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Conditional writes against the local S3, including the PUTs that get no answer: the connection
 * breaks before (the write did not land) or after (it did) the server handled it.
 */
class ConditionalStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static LocalS3 server;
  static S3Client jobs;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
    server.createBucket("cas");
    jobs =
        AwsClients.s3(
            JobEnv.from(
                Map.of(
                    "AWS_BATCH_JOB_ID", "conditional-store-test",
                    "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "t",
                    "AWS_SECRET_ACCESS_KEY", "t",
                    "AWS_ENDPOINT_URL_S3", server.endpoint().toString(),
                    "DATA_BUCKET", "cas")));
  }

  @AfterAll
  static void stop() {
    if (jobs != null) jobs.close();
    if (server != null) server.close();
  }

  private static byte[] doc(int version) {
    return ("{\"type\":\"Collection\",\"version\":"
            + version
            + ",\"pad\":\""
            + "x".repeat(3000)
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aStaleReplaceIsALostRaceEveryTimeAndChangesNothing() throws Exception {
    ConditionalStore store = new ConditionalStore(jobs, JSON);
    S3Uri uri = new S3Uri("cas", "stale.json");
    assertEquals(ConditionalStore.Outcome.WRITTEN, store.create(uri, doc(1), "application/json"));
    for (int i = 0; i < 200; i++)
      assertEquals(
          ConditionalStore.Outcome.LOST_RACE,
          store.replace(uri, doc(2), "application/json", "\"0123456789abcdef\""),
          "attempt " + i);
    assertEquals(1, store.read(uri).orElseThrow().doc().path("version").asInt());
  }

  @Test
  void aReplaceWhoseAnswerIsLostIsWrittenWhenTheObjectIsOurs() {
    try (S3Client lossy = client(true)) {
      ConditionalStore store = new ConditionalStore(lossy, JSON);
      S3Uri uri = new S3Uri("cas", "landed.json");
      new ConditionalStore(jobs, JSON).create(uri, doc(1), "application/json");
      String eTag = store.read(uri).orElseThrow().eTag();
      assertEquals(
          ConditionalStore.Outcome.WRITTEN, store.replace(uri, doc(2), "application/json", eTag));
      assertEquals(2, store.read(uri).orElseThrow().doc().path("version").asInt());
    }
  }

  @Test
  void aReplaceThatNeverReachedTheServerIsALostRace() {
    try (S3Client lossy = client(false)) {
      ConditionalStore store = new ConditionalStore(lossy, JSON);
      S3Uri uri = new S3Uri("cas", "never.json");
      new ConditionalStore(jobs, JSON).create(uri, doc(1), "application/json");
      String eTag = store.read(uri).orElseThrow().eTag();
      assertEquals(
          ConditionalStore.Outcome.LOST_RACE, store.replace(uri, doc(2), "application/json", eTag));
      assertEquals(1, store.read(uri).orElseThrow().doc().path("version").asInt());
    }
  }

  /** A client whose PUTs lose their connection after ({@code landed}) or before the server. */
  private static S3Client client(boolean landed) {
    ExecutionInterceptor breakPuts =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (!landed && context.request() instanceof PutObjectRequest)
              throw SdkClientException.create("connection reset before the request was sent");
          }

          @Override
          public void afterTransmission(
              Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (landed && context.request() instanceof PutObjectRequest)
              throw SdkClientException.create("connection reset before the response was read");
          }
        };
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            o -> o.addExecutionInterceptor(breakPuts).retryStrategy(RetryMode.STANDARD))
        .build();
  }
}
