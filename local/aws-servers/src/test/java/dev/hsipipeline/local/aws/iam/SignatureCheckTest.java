package dev.hsipipeline.local.aws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SignatureCheckTest {

  private static final Policy SQS =
      Policy.parse(
          "consumer",
          """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"],
             "Resource": "arn:aws:sqs:us-east-1:000000000000:work"}]}
          """);

  private static final Iam IAM =
      new Iam(
          List.of(
              Principal.role(
                  "consumer",
                  "arn:aws:sts::000000000000:assumed-role/consumer/local",
                  "AKIACONSUMER",
                  "the-right-secret",
                  List.of(SQS))),
          Map.of());

  private static SqsClient client(URI endpoint, String secret) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIACONSUMER", secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void sqsAcceptsTheRolesSignatureAndRefusesOneMadeWithAnotherSecret() {
    try (LocalSqs sqs =
            LocalSqs.start(
                new LocalSqs.Config(
                    "127.0.0.1",
                    0,
                    "us-east-1",
                    "000000000000",
                    List.of(new QueueSpec("work", null, 0, 30, 0, 3600, 3600)),
                    null,
                    IAM));
        SqsClient right = client(sqs.endpoint(), "the-right-secret");
        SqsClient wrong = client(sqs.endpoint(), "a-wrong-secret")) {
      String url = sqs.queueUrl("work");
      right.sendMessage(b -> b.queueUrl(url).messageBody("signed right"));
      assertEquals(
          "signed right",
          right.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());

      SqsException e =
          assertThrows(
              SqsException.class, () -> wrong.sendMessage(b -> b.queueUrl(url).messageBody("x")));
      assertEquals(403, e.statusCode());
      assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
      assertEquals(SignatureCheck.MISMATCH, e.awsErrorDetails().errorMessage());
    }
  }

  /** A request signed by the SDK's signer at {@code at} for {@code service}. */
  private static SignatureCheck.Request signed(Instant at, String service, String secret) {
    byte[] body =
        "{\"QueueUrl\":\"http://127.0.0.1:9324/000000000000/work\"}"
            .getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:9324/"))
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("X-Amz-Target", "AmazonSQS.ReceiveMessage")
            .putHeader("Content-Length", Integer.toString(body.length))
            .build();
    SdkHttpRequest req =
        AwsV4HttpSigner.create()
            .sign(
                s ->
                    s.identity(AwsCredentialsIdentity.create("AKIACONSUMER", secret))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
            .request();
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(req.headers());
    headers.putIfAbsent("Host", List.of("127.0.0.1:9324"));
    return new SignatureCheck.Request(
        "POST", "/", null, name -> headers.getOrDefault(name, List.of()), body);
  }

  private static SignatureCheck checkAt(Instant now) {
    return new SignatureCheck(IAM, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aSignatureUpTo15MinutesOffTheClockIsAcceptedAndOlderOnesAreExpired() {
    Instant signedAt = Instant.parse("2026-01-01T12:00:00Z");
    SignatureCheck.Request r = signed(signedAt, "sqs", "the-right-secret");
    assertNull(checkAt(signedAt.plus(Duration.ofMinutes(15))).verify(r, "sqs"));
    assertNull(checkAt(signedAt.minus(Duration.ofMinutes(15))).verify(r, "sqs"));

    SignatureCheck.Failure late =
        checkAt(signedAt.plus(Duration.ofMinutes(15)).plusSeconds(1)).verify(r, "sqs");
    assertEquals("SignatureDoesNotMatch", late.code());
    assertEquals(
        "Signature expired: 20260101T120000Z is now earlier than 20260101T120001Z"
            + " (20260101T121501Z - 15 min.)",
        late.message());
  }

  @Test
  void aChangedBodyOrAnotherServicesScopeIsRefused() {
    Instant at = Instant.parse("2026-01-01T12:00:00Z");
    SignatureCheck.Request r = signed(at, "sqs", "the-right-secret");
    SignatureCheck.Request tampered =
        new SignatureCheck.Request(
            r.method(),
            r.rawPath(),
            r.rawQuery(),
            r.header(),
            "{\"QueueUrl\":\"other\"}".getBytes());
    assertEquals(SignatureCheck.MISMATCH, checkAt(at).verify(tampered, "sqs").message());

    SignatureCheck.Failure scope =
        checkAt(at).verify(signed(at, "states", "the-right-secret"), "sqs");
    assertTrue(scope.message().startsWith("Credential should be scoped to correct service: 'sqs'"));
  }

  @Test
  void unsignedRequestsAndUnknownKeysAreLeftToAuthorisation() {
    SignatureCheck.Request unsigned =
        new SignatureCheck.Request("POST", "/", null, name -> List.of(), new byte[0]);
    assertNull(checkAt(Instant.now()).verify(unsigned, "sqs"));
    Iam none = new Iam(List.of(), Map.of());
    Instant at = Instant.parse("2026-01-01T12:00:00Z");
    assertNull(
        new SignatureCheck(none, Clock.fixed(at, ZoneOffset.UTC))
            .verify(signed(at, "sqs", "x"), "sqs"));
  }
}
