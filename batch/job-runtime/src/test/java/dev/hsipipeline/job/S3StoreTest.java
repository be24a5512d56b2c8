package dev.hsipipeline.job;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.local.aws.LocalS3;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class S3StoreTest {
  @TempDir static Path dir;
  static LocalS3 server;
  static S3Client client;
  static S3Store store;

  @BeforeAll
  static void start() {
    server = LocalAws.s3(dir.resolve("s3"), "hsi-data");
    client = AwsClients.s3(JobEnv.from(LocalAws.env(server, 1)));
    store = new S3Store(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  @Test
  void rangedReadsReturnExactlyTheRequestedBytes() throws Exception {
    byte[] data = pattern(300_000);
    S3Uri uri = new S3Uri("hsi-data", "t/range.bin");
    store.put(uri, data, "application/octet-stream");
    assertEquals(data.length, store.head(uri).size());
    try (InputStream in = store.open(uri, 1000, 200_000)) {
      assertArrayEquals(Arrays.copyOfRange(data, 1000, 201_000), in.readAllBytes());
    }
  }

  @Test
  void pinnedReadsFailClearlyWhenTheObjectIsReplacedMidRead() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/pinned.bin");
    store.put(uri, pattern(200_000), "application/octet-stream");
    String eTag = store.head(uri).eTag();
    try (InputStream in = store.openPinned(uri, 0, 200_000, eTag)) {
      assertEquals(200_000, in.readAllBytes().length, "the version seen at start reads normally");
    }
    InputStream first = store.openPinned(uri, 0, 100_000, eTag);
    assertEquals(100_000, first.readAllBytes().length);
    first.close();
    store.put(uri, pattern(200_001), "application/octet-stream"); // replaced mid-job
    try (InputStream second = store.openPinned(uri, 100_000, 100_000, eTag)) {
      JobFailure f = assertThrows(JobFailure.class, second::readAllBytes);
      assertTrue(f.isPermanent());
      assertTrue(f.getMessage().startsWith("source replaced: " + uri), f.getMessage());
      assertTrue(f.getMessage().contains(eTag), f.getMessage());
    }
  }

  @Test
  void rangeBeyondTheObjectEndsEarlySoCallersCanReportTruncation() throws Exception {
    S3Uri uri = new S3Uri("hsi-data", "t/short.bin");
    store.put(uri, pattern(100), "application/octet-stream");
    try (InputStream in = store.open(uri, 50, 500)) {
      assertEquals(50, in.readAllBytes().length);
    }
    try (InputStream in = store.open(uri, 200, 10)) {
      assertEquals(-1, in.read(), "a range starting past the end yields EOF");
    }
  }

  @Test
  void missingObjectAndBucketArePermanentAndNamed() {
    JobFailure f =
        assertThrows(JobFailure.class, () -> store.head(new S3Uri("hsi-data", "nope/x.hdr")));
    assertTrue(f.isPermanent());
    assertEquals("missing object: s3://hsi-data/nope/x.hdr does not exist", f.getMessage());
    JobFailure g =
        assertThrows(
            JobFailure.class, () -> store.readString(new S3Uri("no-such-bucket", "x"), 10));
    assertTrue(g.isPermanent());
    assertTrue(g.getMessage().contains("s3://no-such-bucket/x"), g.getMessage());
    assertThrows(JobFailure.class, () -> store.open(new S3Uri("hsi-data", "nope/y"), 0, 10).read());
    assertFalse(store.exists(new S3Uri("hsi-data", "nope/z")));
  }

  @Test
  void smallObjectLimitIsEnforced() {
    S3Uri uri = new S3Uri("hsi-data", "t/big.json");
    store.put(uri, pattern(2000), "application/json");
    JobFailure f = assertThrows(JobFailure.class, () -> store.readBytes(uri, 1000));
    assertTrue(
        f.getMessage().contains("2000 bytes, more than the 1000 bytes allowed"), f.getMessage());
  }

  @Test
  void filesUploadAndKeysList() throws Exception {
    Path f = dir.resolve("up.bin");
    Files.write(f, pattern(5000));
    store.putFile(new S3Uri("hsi-data", "list/a.bin"), f, "application/octet-stream");
    store.putString(new S3Uri("hsi-data", "list/b.txt"), "hi", "text/plain");
    assertEquals(List.of("list/a.bin", "list/b.txt"), store.listKeys("hsi-data", "list/"));
    assertArrayEquals(pattern(5000), store.readBytes(new S3Uri("hsi-data", "list/a.bin"), 10_000));
  }

  @Test
  void s3UrisParseStrictly() {
    assertEquals(new S3Uri("b", "a/b.hdr"), S3Uri.parse("s3://b/a/b.hdr"));
    assertEquals("b.hdr", S3Uri.parse("s3://b/a/b.hdr").fileName());
    for (String bad : List.of("http://b/k", "s3://", "s3://bucket", "s3://bucket/", "s3:///key")) {
      JobFailure f = assertThrows(JobFailure.class, () -> S3Uri.parse(bad), bad);
      assertTrue(f.isPermanent());
      assertTrue(f.getMessage().contains(bad), f.getMessage());
    }
  }
}
