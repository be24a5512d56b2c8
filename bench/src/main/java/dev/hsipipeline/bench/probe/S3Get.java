package dev.hsipipeline.bench.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The I/O floor as a fresh JVM, started like the job (same flags, the job's SDK jars): an S3 client
 * configured as the jobs configure theirs makes one HEAD (the job has made three requests before it
 * streams the cube), then one plain GET of {@code s3://<bucket>/<key>} read in 1 MiB chunks and
 * discarded, timed from the request to the last byte. Prints {@code RESULT
 * {"mbPerSecond":…,"bytes":…,"peakRssKiB":…}}.
 */
public final class S3Get {
  private S3Get() {}

  public static void main(String[] args) throws Exception {
    String bucket = args[0];
    String key = args[1];
    URI endpoint = URI.create(System.getenv("AWS_ENDPOINT_URL_S3"));
    try (S3Client s3 =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofMinutes(2)))
            .region(Region.of(System.getenv("AWS_REGION")))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        System.getenv("AWS_ACCESS_KEY_ID"),
                        System.getenv("AWS_SECRET_ACCESS_KEY"))))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .build()) {
      long size = s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
      byte[] buf = new byte[1 << 20];
      long n = 0;
      long t0 = System.nanoTime();
      try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
        for (int k; (k = in.read(buf)) > 0; ) {
          n += k;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (n != size) {
        throw new IllegalStateException("read " + n + " of " + size + " bytes");
      }
      System.out.printf(
          Locale.ROOT,
          "RESULT {\"mbPerSecond\":%.1f,\"bytes\":%d,\"peakRssKiB\":%d}%n",
          n / 1e6 / seconds,
          n,
          peakRssKiB());
    }
  }

  private static long peakRssKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
