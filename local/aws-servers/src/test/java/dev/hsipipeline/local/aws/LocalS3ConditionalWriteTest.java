package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional PUTs answer like AWS S3: {@code If-None-Match: *} on an existing key and {@code
 * If-Match} with another ETag are 412 PreconditionFailed, {@code If-Match} on a missing key is 404
 * NoSuchKey, and concurrent read-modify-write cycles guarded by {@code If-Match} lose no update.
 */
class LocalS3ConditionalWriteTest {
  @TempDir static Path dataDir;
  static LocalS3 server;
  static S3Client s3;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3")));
    server.createBucket("cond");
    s3 = LocalS3Test.client(server.endpoint(), "any", "thing");
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  private static String put(String key, String body) {
    return s3.putObject(b -> b.bucket("cond").key(key), RequestBody.fromString(body)).eTag();
  }

  @Test
  void ifNoneMatchStarCreatesOnceThenFailsWith412() {
    s3.putObject(b -> b.bucket("cond").key("claim").ifNoneMatch("*"), RequestBody.fromString("1"));
    S3Exception e =
        assertThrows(
            S3Exception.class,
            () ->
                s3.putObject(
                    b -> b.bucket("cond").key("claim").ifNoneMatch("*"),
                    RequestBody.fromString("2")));
    assertEquals(412, e.statusCode());
    assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    assertEquals("1", read("claim"));
  }

  @Test
  void ifMatchWithTheCurrentEtagReplacesAndAStaleOneFailsWith412() {
    String first = put("swap", "a");
    String second =
        s3.putObject(b -> b.bucket("cond").key("swap").ifMatch(first), RequestBody.fromString("b"))
            .eTag();
    S3Exception e =
        assertThrows(
            S3Exception.class,
            () ->
                s3.putObject(
                    b -> b.bucket("cond").key("swap").ifMatch(first), RequestBody.fromString("c")));
    assertEquals(412, e.statusCode());
    assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    assertEquals("b", read("swap"));
    assertTrue(!first.equals(second));
  }

  @Test
  void ifMatchOnAMissingKeyIsNoSuchKey() {
    assertThrows(
        NoSuchKeyException.class,
        () ->
            s3.putObject(
                b -> b.bucket("cond").key("never-written").ifMatch("\"0123\""),
                RequestBody.fromString("x")));
  }

  /**
   * Four writers each add 10 distinct tokens to one object by read, append, If-Match PUT, retrying
   * on 412/409. Without an atomic compare-and-swap two writers holding the same ETag both succeed
   * and one token is lost. (Appending is idempotent, as the catalog's merge is: an SDK retry of a
   * PUT whose first attempt did land answers 412, and the writer then finds its token already
   * there.)
   */
  @Test
  void concurrentIfMatchReadModifyWriteLosesNoUpdate() throws Exception {
    put("counter", "");
    int writers = 4;
    int perWriter = 10;
    AtomicInteger conflicts = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perWriter; i++) {
                    int item = i;
                    for (int attempt = 0; ; attempt++) {
                      ResponseBytes<GetObjectResponse> cur =
                          s3.getObjectAsBytes(b -> b.bucket("cond").key("counter"));
                      String have = cur.asUtf8String();
                      String token = "w" + writer + "-" + item + ";";
                      if (have.contains(token)) break;
                      try {
                        s3.putObject(
                            b -> b.bucket("cond").key("counter").ifMatch(cur.response().eTag()),
                            RequestBody.fromString(have + token));
                        break;
                      } catch (S3Exception e) {
                        if (e.statusCode() != 412 && e.statusCode() != 409) throw e;
                        conflicts.incrementAndGet();
                        if (attempt > 10_000) throw e;
                      }
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    String[] tokens = read("counter").split(";");
    assertEquals(writers * perWriter, tokens.length, "tokens: " + String.join(" ", tokens));
    assertEquals(writers * perWriter, new java.util.HashSet<>(List.of(tokens)).size());
    assertTrue(conflicts.get() > 0, "the writers never collided; the test proved nothing");
  }

  private static String read(String key) {
    return new String(
        s3.getObjectAsBytes(b -> b.bucket("cond").key(key)).asByteArray(), StandardCharsets.UTF_8);
  }
}
