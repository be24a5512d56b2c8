package dev.hsipipeline.job;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.local.aws.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Multipart uploads against the real local S3 server (S3Proxy) with the real SDK client. */
class S3UploadTest {
  static final int MIB = 1 << 20;
  @TempDir static Path dir;
  static LocalS3 server;
  static S3Client client;
  static List<String> warnings = new ArrayList<>();
  static S3Store store;

  @BeforeAll
  static void start() {
    server = LocalAws.s3(dir.resolve("s3"), "hsi-data");
    client = AwsClients.s3(JobEnv.from(LocalAws.env(server, 1)));
    store =
        new S3Store(
            client,
            m -> {
              synchronized (warnings) {
                warnings.add(m);
              }
            },
            new S3Upload.Settings(3));
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed + (i >>> 13));
    return b;
  }

  static byte[] get(S3Uri uri) {
    return client
        .getObject(b -> b.bucket(uri.bucket()).key(uri.key()), ResponseTransformer.toBytes())
        .asByteArray();
  }

  static List<MultipartUpload> incomplete(S3Uri uri) {
    return client
        .listMultipartUploads(b -> b.bucket(uri.bucket()).prefix(uri.key()))
        .uploads()
        .stream()
        .filter(u -> u.key().equals(uri.key()))
        .toList();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  @Test
  void partsUploadedOutOfOrderFormTheObjectInPartNumberOrder() {
    S3Uri uri = new S3Uri("hsi-data", "t/out-of-order.bin");
    byte[] p1 = pattern(5 * MIB + 17, 1), p2 = pattern(6 * MIB, 2), p3 = pattern(1234, 3);
    try (S3Upload up = store.startUpload(uri, "application/octet-stream")) {
      up.uploadPart(3, p3, 0, p3.length);
      up.uploadPart(2, p2, 0, p2.length);
      assertFalse(store.exists(uri), "nothing is visible before complete");
      up.uploadPart(1, p1, 0, p1.length);
      S3Store.ObjectInfo info = up.complete();
      assertEquals(p1.length + p2.length + p3.length, info.size());
    }
    assertArrayEquals(concat(p1, p2, p3), get(uri));
    assertEquals(p1.length + p2.length + p3.length, store.head(uri).size());
    assertTrue(incomplete(uri).isEmpty());
  }

  @Test
  void headPartUploadedLastAfterTheBodyAsACogWriterDoes() {
    // The COG writer streams the body as parts 2..n and sends the head as part 1 at the end.
    S3Uri uri = new S3Uri("hsi-data", "t/head-last.tif");
    byte[] body1 = pattern(5 * MIB, 4), body2 = pattern(2 * MIB + 3, 5), head = pattern(5 * MIB, 6);
    try (S3Upload up = store.startUpload(uri, "image/tiff")) {
      up.uploadPart(2, body1, 0, body1.length);
      up.uploadPart(3, body2, 0, body2.length);
      up.uploadPart(1, head, 0, head.length);
      up.complete();
    }
    assertArrayEquals(concat(head, body1, body2), get(uri));
    assertEquals(
        "image/tiff",
        store.client().headObject(b -> b.bucket("hsi-data").key(uri.key())).contentType());
  }

  @Test
  void aPartUploadedAgainReplacesTheEarlierOne() {
    S3Uri uri = new S3Uri("hsi-data", "t/replaced.bin");
    byte[] first = pattern(5 * MIB, 7), second = pattern(5 * MIB, 8), last = pattern(10, 9);
    try (S3Upload up = store.startUpload(uri, "application/octet-stream")) {
      up.uploadPart(1, first, 0, first.length);
      up.uploadPart(2, last, 0, last.length);
      up.uploadPart(1, second, 0, second.length);
      up.complete();
    }
    assertArrayEquals(concat(second, last), get(uri));
  }

  @Test
  void closingWithoutCompleteAbortsAndLeavesNothing() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/abandoned.bin");
    byte[] p = pattern(5 * MIB, 10);
    try (S3UploadStream out = store.openUpload(uri, "application/octet-stream", 0)) {
      out.write(p);
      out.write(p); // more than one 8 MiB part: a multipart upload is under way
      assertEquals(1, incomplete(uri).size());
      // no complete(): e.g. the job failed while writing
    }
    assertFalse(store.exists(uri));
    assertTrue(incomplete(uri).isEmpty(), "the multipart upload was aborted");
  }

  @Test
  void anUploadLeftByAKilledAttemptIsAbortedWhenTheKeyIsWrittenAgain() throws IOException {
    S3Uri uri = new S3Uri("hsi-data", "t/retried.bin");
    // What a SIGKILLed attempt leaves: an upload with a part, never completed or aborted.
    String stale =
        client.createMultipartUpload(b -> b.bucket("hsi-data").key(uri.key())).uploadId();
    client.uploadPart(
        b -> b.bucket("hsi-data").key(uri.key()).uploadId(stale).partNumber(1),
        RequestBody.fromBytes(pattern(5 * MIB, 11)));
    assertEquals(1, incomplete(uri).size());
    assertFalse(store.exists(uri), "an incomplete upload does not look like an object");

    byte[] data = pattern(9 * MIB, 12);
    try (S3UploadStream out = store.openUpload(uri, "application/octet-stream", data.length)) {
      out.write(data);
      out.complete();
    }
    assertArrayEquals(data, get(uri));
    assertTrue(incomplete(uri).isEmpty(), "the stale upload was aborted");
    synchronized (warnings) {
      assertTrue(
          warnings.stream().anyMatch(w -> w.contains("aborted 1 incomplete upload(s) of " + uri)),
          warnings.toString());
    }
  }

  @Test
  void streamOfManyPartsIsUploadedInOrderWithBoundedBuffers() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/stream.bin");
    byte[] data = pattern(29 * MIB + 5, 13);
    try (S3UploadStream out = store.openUpload(uri, "application/octet-stream", 0)) {
      // odd write sizes, crossing part boundaries
      for (int off = 0; off < data.length; ) {
        int n = Math.min(data.length - off, 1_000_003);
        out.write(data, off, n);
        off += n;
      }
      assertEquals(data.length, out.written());
      assertEquals(data.length, out.complete().size());
    }
    assertArrayEquals(data, get(uri));
    String eTag = store.head(uri).eTag();
    assertTrue(eTag.contains("-4"), "4 parts of 8 MiB: multipart ETag, got " + eTag);
  }

  @Test
  void smallObjectIsOneRequest() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/small.json");
    try (S3UploadStream out = store.openUpload(uri, "application/json", 0)) {
      out.write("{\"a\":1}".getBytes());
      out.complete();
    }
    assertEquals("{\"a\":1}", store.readString(uri, 100));
    assertFalse(store.head(uri).eTag().contains("-"), "a single PUT has a plain ETag");
  }

  @Test
  void emptyObjectIsWritten() {
    S3Uri uri = new S3Uri("hsi-data", "t/empty.bin");
    try (S3Upload up = store.startUpload(uri, "application/octet-stream")) {
      up.complete();
    }
    assertEquals(0, store.head(uri).size());
  }

  @Test
  void aSmallPartBeforeTheLastIsRefusedAsAwsWouldAndTheUploadAborted() {
    S3Uri uri = new S3Uri("hsi-data", "t/too-small.bin");
    S3Upload up = store.startUpload(uri, "application/octet-stream");
    up.uploadPart(1, pattern(100, 14), 0, 100);
    up.uploadPart(2, pattern(100, 15), 0, 100);
    IllegalStateException e = assertThrows(IllegalStateException.class, up::complete);
    assertTrue(e.getMessage().contains("part 1 of " + uri + " has 100 bytes"), e.getMessage());
    assertFalse(store.exists(uri));
    assertTrue(incomplete(uri).isEmpty());
    assertThrows(IllegalStateException.class, () -> up.uploadPart(3, new byte[1], 0, 1));
  }

  @Test
  void aFailingPartFailsTheUploadAndAbortsIt() {
    S3Uri uri = new S3Uri("hsi-data", "t/failing.bin");
    S3Upload up = store.startUpload(uri, "application/octet-stream");
    up.uploadPart(1, pattern(5 * MIB, 16), 0, 5 * MIB);
    String uploadId = incomplete(uri).get(0).uploadId();
    // Someone else aborts it (a concurrent retry's cleanup): the next part fails with NoSuchUpload.
    client.abortMultipartUpload(b -> b.bucket("hsi-data").key(uri.key()).uploadId(uploadId));
    JobFailure f =
        assertThrows(
            JobFailure.class,
            () -> {
              up.uploadPart(2, pattern(10, 17), 0, 10);
              up.complete();
            });
    assertFalse(f.isPermanent(), "retryable: " + f.getMessage());
    assertTrue(f.getMessage().contains(uri.toString()), f.getMessage());
    assertFalse(store.exists(uri));
  }

  @Test
  void fileLargerThanOnePartIsUploadedInParts() throws IOException {
    Path file = dir.resolve("big.bin");
    byte[] data = pattern(17 * MIB, 18);
    Files.write(file, data);
    S3Uri uri = new S3Uri("hsi-data", "t/file.bin");
    assertEquals(data.length, store.putFile(uri, file, "application/octet-stream").size());
    assertArrayEquals(data, get(uri));
  }

  @Test
  void partSizeGrowsWithTheExpectedSizeToStayBelowTenThousandParts() {
    assertEquals(8L << 20, S3UploadStream.partSize(0));
    assertEquals(8L << 20, S3UploadStream.partSize(50L << 30), "50 GiB: 8 MiB parts, 6 400");
    long size = 200L << 30; // 200 GiB
    long part = S3UploadStream.partSize(size);
    assertEquals(0, part % (1 << 20));
    assertTrue(size / part < S3UploadStream.PLANNED_PARTS + 1, "parts: " + size / part);
    assertTrue(part < 32L << 20, "no larger than needed: " + part);
  }

  @Test
  void sigtermAbortsTheUploadOfAJobThatIsBeingStopped() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/killed.bin");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                UploadThenWait.class.getName(),
                server.endpoint().toString(),
                uri.key())
            .redirectErrorStream(true)
            .start();
    try {
      String line = new String(p.getInputStream().readNBytes("part uploaded\n".length()));
      assertEquals("part uploaded\n", line);
      assertEquals(1, incomplete(uri).size(), "the child has an upload under way");
      p.destroy(); // SIGTERM, as Batch stopping the job
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertTrue(incomplete(uri).isEmpty(), "the shutdown hook aborted the upload");
    assertFalse(store.exists(uri));
  }

  /** A job stand-in: uploads one part of an object, then waits to be stopped. */
  public static final class UploadThenWait {
    public static void main(String[] args) throws Exception {
      java.util.Map<String, String> env = new java.util.HashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "test");
      env.put("AWS_SECRET_ACCESS_KEY", "test");
      env.put("AWS_ENDPOINT_URL_S3", args[0]);
      S3Client c = AwsClients.s3(JobEnv.from(env));
      S3Upload up = new S3Store(c).startUpload(new S3Uri("hsi-data", args[1]), "x/y");
      byte[] part = new byte[5 * MIB];
      Arrays.fill(part, (byte) 1);
      up.uploadPart(2, part, 0, part.length);
      // wait until the part is stored: the upload then has something to abort
      while (c.listParts(b -> b.bucket("hsi-data").key(args[1]).uploadId(uploadId(c, args[1])))
          .parts()
          .isEmpty()) Thread.sleep(20);
      System.out.print("part uploaded\n");
      System.out.flush();
      Thread.sleep(600_000);
    }

    static String uploadId(S3Client c, String key) {
      return c.listMultipartUploads(b -> b.bucket("hsi-data").prefix(key))
          .uploads()
          .get(0)
          .uploadId();
    }
  }
}
