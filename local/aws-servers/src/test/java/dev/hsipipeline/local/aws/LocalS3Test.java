package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

class LocalS3Test {

  @TempDir static Path dataDir;
  static LocalS3 server;
  static S3Client s3;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3")));
    server.createBucket("hsi-data");
    s3 = client(server.endpoint(), "any", "thing");
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  static S3Client client(URI endpoint, String key, String secret) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void bindsLoopbackOnEphemeralPort() {
    assertEquals("127.0.0.1", server.endpoint().getHost());
    assertTrue(server.port() > 0);
  }

  @Test
  void putGetAndListObjectsWithAnyCredentials() {
    s3.putObject(b -> b.bucket("hsi-data").key("list/a.json"), RequestBody.fromString("{\"a\":1}"));
    s3.putObject(b -> b.bucket("hsi-data").key("list/b/c.txt"), RequestBody.fromString("c"));
    try (S3Client other = client(server.endpoint(), "test", "test")) {
      ResponseBytes<GetObjectResponse> got =
          other.getObjectAsBytes(b -> b.bucket("hsi-data").key("list/a.json"));
      assertEquals("{\"a\":1}", got.asUtf8String());
    }
    List<String> keys =
        s3.listObjectsV2(b -> b.bucket("hsi-data").prefix("list/")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertEquals(List.of("list/a.json", "list/b/c.txt"), keys);
    var delimited = s3.listObjectsV2(b -> b.bucket("hsi-data").prefix("list/").delimiter("/"));
    assertEquals("list/b/", delimited.commonPrefixes().get(0).prefix());
    assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("hsi-data")));
  }

  @Test
  void rangedGetReturnsOnlyTheRequestedBytes() {
    s3.putObject(
        b -> b.bucket("hsi-data").key("range.bin"),
        RequestBody.fromString("0123456789abcdef", StandardCharsets.US_ASCII));
    var part = s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("range.bin").range("bytes=4-9"));
    assertEquals("456789", part.asUtf8String());
    assertEquals(6L, part.response().contentLength());
  }

  @Test
  void largeObjectRoundTripsIntact() throws Exception {
    byte[] data = new byte[24 * 1024 * 1024 + 17];
    new Random(42).nextBytes(data);
    s3.putObject(b -> b.bucket("hsi-data").key("large/cube.raw"), RequestBody.fromBytes(data));
    byte[] back =
        s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("large/cube.raw")).asByteArray();
    assertArrayEquals(sha256(data), sha256(back));
    assertEquals(data.length, back.length);
  }

  @Test
  void multipartUploadAssemblesPartsInOrder() throws Exception {
    String key = "multipart/scene.raw";
    String uploadId = s3.createMultipartUpload(b -> b.bucket("hsi-data").key(key)).uploadId();
    Random random = new Random(7);
    List<byte[]> parts =
        List.of(new byte[5 * 1024 * 1024], new byte[5 * 1024 * 1024], new byte[1234]);
    List<CompletedPart> done = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      random.nextBytes(parts.get(i));
      int partNumber = i + 1;
      String etag =
          s3.uploadPart(
                  b -> b.bucket("hsi-data").key(key).uploadId(uploadId).partNumber(partNumber),
                  RequestBody.fromBytes(parts.get(i)))
              .eTag();
      done.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        b -> b.bucket("hsi-data").key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
    byte[] back = s3.getObjectAsBytes(b -> b.bucket("hsi-data").key(key)).asByteArray();
    var expected = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) expected.write(p);
    assertArrayEquals(sha256(expected.toByteArray()), sha256(back));
  }

  @Test
  void missingObjectIsNoSuchKey() {
    assertThrows(
        NoSuchKeyException.class,
        () -> s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("does/not/exist")));
  }

  @Test
  void createBucketIsIdempotentAndValidatesNames() {
    server.createBucket("hsi-data");
    server.createBucket("other-bucket");
    assertTrue(server.bucketExists("other-bucket"));
    var e = assertThrows(IllegalArgumentException.class, () -> server.createBucket("Bad_Bucket"));
    assertTrue(e.getMessage().contains("Bad_Bucket"), e.getMessage());
  }

  @Test
  void objectsSurviveARestartOnTheSameDataDir() {
    Path dir = dataDir.resolve("restart");
    try (LocalS3 first = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
        S3Client c = client(first.endpoint(), "a", "b")) {
      first.createBucket("keep");
      c.putObject(b -> b.bucket("keep").key("k.txt"), RequestBody.fromString("kept"));
    }
    assertTrue(Files.isDirectory(dir.resolve("keep")));
    try (LocalS3 second = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
        S3Client c = client(second.endpoint(), "a", "b")) {
      assertEquals("kept", c.getObjectAsBytes(b -> b.bucket("keep").key("k.txt")).asUtf8String());
    }
  }

  @Test
  void portInUseGivesAClearError() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                LocalS3.start(
                    new LocalS3.Config("127.0.0.1", server.port(), dataDir.resolve("x"))));
    assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
