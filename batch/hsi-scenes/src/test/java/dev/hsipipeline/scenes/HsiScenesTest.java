package dev.hsipipeline.scenes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.local.aws.LocalS3;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class HsiScenesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HEADER =
      "ENVI\nsamples = 4\nlines = 3\nbands = 2\nheader offset = 0\ndata type = 2\n"
          + "interleave = bsq\nbyte order = 0\n";

  @TempDir static Path dir;
  static LocalS3 server;
  static S3Client client;
  static S3Store s3;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
    server.createBucket("hsi-data");
    client =
        AwsClients.s3(
            JobEnv.from(
                Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test",
                    "AWS_ENDPOINT_URL_S3", server.endpoint().toString())));
    s3 = new S3Store(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void headerOnS3IsParsedAndItsDataSizeChecked() {
    S3Uri hdr = new S3Uri("hsi-data", "ok/scene.hdr");
    S3Uri img = new S3Uri("hsi-data", "ok/scene.img");
    s3.putString(hdr, HEADER, "text/plain");
    s3.put(img, new byte[4 * 3 * 2 * 2], "application/octet-stream");
    EnviHeader h = HsiScenes.loadHeader(s3, hdr);
    assertEquals(4, h.samples());
    assertEquals(48, HsiScenes.checkData(s3, h, hdr, img).size());
  }

  @Test
  void corruptHeaderIsPermanentAndNamesTheObjectAndKey() {
    S3Uri hdr = new S3Uri("hsi-data", "bad/scene.hdr");
    s3.putString(hdr, HEADER.replace("data type = 2", "data type = 5"), "text/plain");
    JobFailure f = assertThrows(JobFailure.class, () -> HsiScenes.loadHeader(s3, hdr));
    assertTrue(f.isPermanent());
    assertTrue(f.getMessage().startsWith("corrupt header: " + hdr), f.getMessage());
    assertTrue(f.getMessage().contains("data type"), f.getMessage());
  }

  @Test
  void dataSmallerOrLargerThanTheHeaderSaysIsPermanentWithBothSizes() {
    S3Uri hdr = new S3Uri("hsi-data", "size/scene.hdr");
    S3Uri img = new S3Uri("hsi-data", "size/scene.img");
    s3.putString(hdr, HEADER, "text/plain");
    EnviHeader h = HsiScenes.loadHeader(s3, hdr);

    s3.put(img, new byte[40], "application/octet-stream");
    JobFailure shorter = assertThrows(JobFailure.class, () -> HsiScenes.checkData(s3, h, hdr, img));
    assertTrue(shorter.isPermanent());
    assertTrue(
        shorter.getMessage().contains("has 40 bytes, expected 48 bytes"), shorter.getMessage());

    s3.put(img, new byte[50], "application/octet-stream");
    JobFailure longer = assertThrows(JobFailure.class, () -> HsiScenes.checkData(s3, h, hdr, img));
    assertTrue(
        longer.getMessage().startsWith("size mismatch: " + img + " has 50 bytes"),
        longer.getMessage());
    assertTrue(longer.getMessage().contains("describes 48 bytes"), longer.getMessage());
  }

  @Test
  void productsFieldDefaultsToAllAndRejectsUnknownNames() throws Exception {
    assertEquals(Product.all(), HsiScenes.products(null));
    assertEquals(
        List.of(Product.NDI, Product.STATS),
        HsiScenes.products(JSON.readTree("[\"ndi\", \"STATS\", \"ndi\"]")));
    JobFailure unknown =
        assertThrows(
            JobFailure.class, () -> HsiScenes.products(JSON.readTree("[\"stats\", \"ndvi\"]")));
    assertTrue(unknown.getMessage().contains("unknown product \"ndvi\""), unknown.getMessage());
    assertTrue(unknown.getMessage().contains(Product.names().toString()), unknown.getMessage());
    JobFailure empty =
        assertThrows(JobFailure.class, () -> HsiScenes.products(JSON.readTree("[]")));
    assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
  }
}
