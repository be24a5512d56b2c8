package dev.hsipipeline.hsi.testdata;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.local.aws.LocalS3;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link SyntheticScene#upload} against the real local S3 server. */
class SyntheticSceneUploadTest {
  @TempDir static Path dataDir;
  static LocalS3 server;
  static S3Client s3;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3")));
    server.createBucket("hsi-data");
    s3 =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  @Test
  void uploadWritesTheHeaderAndTheWholeCubeUnderTheBaseKey() throws Exception {
    SyntheticScene scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(40, 30, 20)
                .withHeaderOffset(16)
                .withPlacement(Placement.ROTATED));
    SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", "scenes/up/rot");
    assertEquals("s3://hsi-data/scenes/up/rot.hdr", up.headerUri());
    assertEquals("s3://hsi-data/scenes/up/rot.img", up.dataUri());
    assertEquals(16 + 40 * 30 * 20 * 2, up.dataBytes());

    byte[] data = s3.getObjectAsBytes(b -> b.bucket("hsi-data").key(up.dataKey())).asByteArray();
    assertArrayEquals(scene.openData().readAllBytes(), data);
    String text = s3.getObjectAsBytes(b -> b.bucket("hsi-data").key(up.headerKey())).asUtf8String();
    EnviHeader back = EnviHeader.parse(text, up.headerUri());
    assertEquals(scene.header().expectedObjectSize(), back.expectedObjectSize());
    assertTrue(back.isGeoreferenced(), "the uploaded header carries map info: " + text);
  }
}
