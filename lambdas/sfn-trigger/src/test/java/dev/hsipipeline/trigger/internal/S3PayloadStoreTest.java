package dev.hsipipeline.trigger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SigV4-signed PutObject against an S3 server that VERIFIES signatures (S3Proxy with AWS_V4
 * authentication, unlike the local stack's), read back with the SDK's own S3Client.
 */
class S3PayloadStoreTest {

  @TempDir static Path dir;
  static S3Proxy proxy;
  static URI endpoint;
  static SdkHttpClient http;
  static S3Client reader;

  @BeforeAll
  static void start() throws Exception {
    var store = new FilesystemNio2BlobStore(dir.toString());
    store.createContainer("payload-bucket");
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, "AKIDTRIGGER", "trigger-secret")
            .build();
    proxy.start();
    Awaitility.await("S3Proxy started")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> "STARTED".equals(proxy.getState()));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    http = UrlConnectionHttpClient.create();
    reader =
        S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDTRIGGER", "trigger-secret")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    reader.close();
    http.close();
    proxy.stop();
  }

  private static S3PayloadStore store(String secret) {
    return new S3PayloadStore(
        http,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTRIGGER", secret)),
        Region.US_EAST_1,
        endpoint,
        2);
  }

  @Test
  void signedPutIsAcceptedAndStoresTheBodyUnderAnEncodedKey() {
    String key = "payloads/odd key é+=&_hash";
    String body = "{\"text\":\"ünïcödé " + "x".repeat(20_000) + "\"}";
    store("trigger-secret").put("payload-bucket", key, body, "application/json");
    var got = reader.getObjectAsBytes(b -> b.bucket("payload-bucket").key(key));
    assertEquals(body, got.asUtf8String());
    assertEquals("application/json", got.response().contentType());
  }

  @Test
  void wrongCredentialsAreRejectedWithTheS3ErrorCode() {
    var e =
        assertThrows(
            S3PayloadStore.S3WriteException.class,
            () ->
                store("wrong-secret")
                    .put("payload-bucket", "payloads/x", "{}", "application/json"));
    assertEquals(403, e.status());
    assertTrue(
        e.getMessage().contains("SignatureDoesNotMatch") || e.getMessage().contains("AccessDenied"),
        e.getMessage());
  }

  @Test
  void serverErrorsAreRetriedUntilThePutSucceedsAndClientErrorsAreNot() throws Exception {
    Queue<Integer> answers = new ConcurrentLinkedQueue<>(List.of(500, 503, 200, 400));
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    flaky.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          int status = answers.remove();
          seen.add(exchange.getRequestMethod() + " " + status);
          byte[] xml =
              ("<Error><Code>Code" + status + "</Code><Message>m</Message></Error>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, xml.length);
          exchange.getResponseBody().write(xml);
          exchange.close();
        });
    flaky.start();
    try {
      S3PayloadStore store =
          new S3PayloadStore(
              http,
              StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
              Region.US_EAST_1,
              URI.create("http://127.0.0.1:" + flaky.getAddress().getPort()),
              3);
      store.put("bucket", "payloads/x", "{}", "application/json");
      assertEquals(List.of("PUT 500", "PUT 503", "PUT 200"), seen);

      var e =
          assertThrows(
              S3PayloadStore.S3WriteException.class,
              () -> store.put("bucket", "payloads/y", "{}", "application/json"));
      assertEquals(400, e.status());
      assertTrue(e.getMessage().contains("Code400"), e.getMessage());
      assertEquals(4, seen.size(), "a 400 is final: " + seen);
    } finally {
      flaky.stop(0);
    }
  }

  @Test
  void awsAddressingIsVirtualHostedAndPathStyleForDottedBuckets() {
    var aws =
        new S3PayloadStore(
            http,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
            Region.EU_CENTRAL_1,
            null,
            1);
    assertEquals(
        URI.create("https://hsi-data.s3.eu-central-1.amazonaws.com/payloads/a%20b"),
        aws.objectUrl("hsi-data", "payloads/a b"));
    assertEquals(
        URI.create("https://s3.eu-central-1.amazonaws.com/my.bucket/k"),
        aws.objectUrl("my.bucket", "k"));
    var china =
        new S3PayloadStore(
            http,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
            Region.CN_NORTH_1,
            null,
            1);
    assertEquals(
        URI.create("https://b.s3.cn-north-1.amazonaws.com.cn/k"), china.objectUrl("b", "k"));
  }
}
