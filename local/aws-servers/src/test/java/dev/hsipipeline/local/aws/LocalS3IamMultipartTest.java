package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.Policy;
import dev.hsipipeline.local.aws.iam.Principal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads under enforced IAM: a principal allowed {@code s3:PutObject} (and {@code
 * s3:AbortMultipartUpload}) on a prefix can create, upload, complete and abort uploads there, as on
 * AWS — S3Proxy's own bookkeeping objects for an upload are not the caller's business — and is
 * refused elsewhere.
 */
class LocalS3IamMultipartTest {
  private static final String ROLE = "arn:aws:sts::000000000000:assumed-role/writer/local";

  @TempDir static Path dataDir;
  static LocalS3 server;
  static S3Client s3;

  @BeforeAll
  static void start() {
    Policy writer =
        Policy.parse(
            "writer",
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject",
                                             "s3:AbortMultipartUpload"],
               "Resource": ["arn:aws:s3:::mpu/out/*"]}
            ]}
            """);
    Iam iam =
        new Iam(
            List.of(Principal.role("writer", ROLE, "WKEY", "wsecret", List.of(writer))), Map.of());
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3"), iam));
    server.createBucket("mpu");
    s3 = LocalS3Test.client(server.endpoint(), "WKEY", "wsecret");
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  @Test
  void aMultipartUploadUnderTheGrantedPrefixCompletes() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("out/big.bin")).uploadId();
    byte[] first = new byte[5 << 20];
    Arrays.fill(first, (byte) 7);
    byte[] last = {1, 2, 3};
    String e1 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("out/big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(first))
            .eTag();
    String e2 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("out/big.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(last))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("mpu")
                .key("out/big.bin")
                .uploadId(id)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(e1).build(),
                            CompletedPart.builder().partNumber(2).eTag(e2).build())));
    byte[] got = s3.getObjectAsBytes(b -> b.bucket("mpu").key("out/big.bin")).asByteArray();
    assertEquals(first.length + last.length, got.length);
    assertArrayEquals(last, Arrays.copyOfRange(got, first.length, got.length));
  }

  @Test
  void anUploadCanBeAborted() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("out/gone.bin")).uploadId();
    s3.abortMultipartUpload(b -> b.bucket("mpu").key("out/gone.bin").uploadId(id));
    S3Exception e =
        assertThrows(
            S3Exception.class, () -> s3.headObject(b -> b.bucket("mpu").key("out/gone.bin")));
    assertEquals(404, e.statusCode());
  }

  @Test
  void anUploadOutsideTheGrantIsDenied() {
    S3Exception e =
        assertThrows(
            S3Exception.class,
            () -> s3.createMultipartUpload(b -> b.bucket("mpu").key("elsewhere/x.bin")));
    assertEquals(403, e.statusCode());
    assertTrue(e.getMessage().contains("mpu/elsewhere/x.bin"), e.getMessage());
  }
}
