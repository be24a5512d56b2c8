package dev.hsipipeline.scenes;

import dev.hsipipeline.hsi.cog.CogSink;
import dev.hsipipeline.hsi.cog.CogSinks;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where a job step writes its files: under an S3 prefix (the Batch jobs) or in a local directory
 * ({@code ./pipeline cog|process}), so that both run the same step code. Every file is complete or
 * absent: COGs through their sink (multipart upload, or a temporary file renamed into place), small
 * files in one request or by an atomic rename.
 */
public interface ProductOutput {
  /** A sink for the COG named {@code name} (e.g. {@code ndi.tif}). */
  CogSink cog(String name);

  /** Writes a small file (JSON, PNG) whole. */
  void write(String name, byte[] bytes, String contentType) throws IOException;

  /** Where the file named {@code name} is: an {@code s3://} URI or a local path. */
  String location(String name);

  /** Files under {@code s3://bucket/prefix}; {@code prefix} ends with {@code /}. */
  static ProductOutput s3(S3Store s3, String bucket, String prefix) {
    if (!prefix.isEmpty() && !prefix.endsWith("/"))
      throw new IllegalArgumentException("prefix must end with '/', got " + prefix);
    return new ProductOutput() {
      @Override
      public CogSink cog(String name) {
        return S3PartStore.sink(s3, uri(name));
      }

      @Override
      public void write(String name, byte[] bytes, String contentType) {
        s3.put(uri(name), bytes, contentType);
      }

      @Override
      public String location(String name) {
        return uri(name).toString();
      }

      private S3Uri uri(String name) {
        return new S3Uri(bucket, prefix + name);
      }
    };
  }

  /** Files in a local directory (created when missing). */
  static ProductOutput directory(Path dir) {
    return new ProductOutput() {
      @Override
      public CogSink cog(String name) {
        return CogSinks.file(file(name));
      }

      @Override
      public void write(String name, byte[] bytes, String contentType) throws IOException {
        Path target = file(name);
        Files.createDirectories(target.getParent());
        // Not createTempFile: its 0600 mode would survive the rename (the COGs get the umask's).
        Path tmp = target.resolveSibling("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
          Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          Files.move(
              tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }

      @Override
      public String location(String name) {
        return file(name).toString();
      }

      private Path file(String name) {
        return dir.resolve(name).toAbsolutePath().normalize();
      }
    };
  }
}
