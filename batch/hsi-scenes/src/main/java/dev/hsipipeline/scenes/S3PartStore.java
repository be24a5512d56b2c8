package dev.hsipipeline.scenes;

import dev.hsipipeline.hsi.cog.CogSink;
import dev.hsipipeline.hsi.cog.MultipartCogSink;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Upload;
import dev.hsipipeline.job.S3Uri;
import java.io.IOException;
import java.io.InputStream;

/**
 * The COG writer's multipart sink on S3: {@link MultipartCogSink} decides the parts (the body as
 * parts 2..n while it streams, the head as part 1 at the end), {@link S3Upload} uploads them in
 * parallel with bounded memory and aborts on failure or SIGTERM (ADR 0110).
 */
public final class S3PartStore implements MultipartCogSink.PartStore {
  /** Preferred body part size: 16 MiB (raised by the sink for very large COGs). */
  public static final long PART_SIZE = 16L << 20;

  /** The media type the COGs are stored with. */
  public static final String COG_MEDIA_TYPE =
      "image/tiff; application=geotiff; profile=cloud-optimized";

  private final S3Upload upload;

  private S3PartStore(S3Upload upload) {
    this.upload = upload;
  }

  /** A COG sink writing {@code uri} (content type {@code image/tiff}). */
  public static CogSink sink(S3Store s3, S3Uri uri) {
    return new MultipartCogSink(new S3PartStore(s3.startUpload(uri, COG_MEDIA_TYPE)), PART_SIZE);
  }

  @Override
  public void putObject(MultipartCogSink.PartData data) throws IOException {
    try (InputStream in = data.open()) {
      byte[] bytes = in.readNBytes(Math.toIntExact(data.length()));
      if (bytes.length != data.length())
        throw new IOException(
            upload.uri() + ": the COG ended after " + bytes.length + " of " + data.length());
      upload.putObject(bytes, 0, bytes.length);
    }
  }

  @Override
  public void uploadPart(int partNumber, MultipartCogSink.PartData data) throws IOException {
    try (InputStream in = data.open()) {
      upload.uploadPart(partNumber, in, data.length());
    }
  }

  @Override
  public void complete() {
    upload.complete();
  }

  @Override
  public void abort() {
    upload.abort();
  }
}
