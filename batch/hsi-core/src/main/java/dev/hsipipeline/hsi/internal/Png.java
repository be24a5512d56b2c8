package dev.hsipipeline.hsi.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG encoding with the JDK's writer, the bytes {@code ImageIO.write(img, "png", out)} gives, but
 * through a memory cache: {@code ImageIO.write} to a stream buffers through a temporary file by
 * default, which cost a fresh job JVM 20–40 ms on a ~0.6 MB quicklook.
 */
final class Png {
  private Png() {}

  static byte[] encode(BufferedImage img) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) throw new IOException("no PNG writer available");
    ImageWriter w = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(img);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  /**
   * Loads and initialises the encoder (the Image I/O service registry, the PNG writer, zlib) by
   * encoding a 1×1 image: 60–70 ms of class loading that a fresh JVM otherwise pays after the cube
   * has streamed. Failures are left for the real encode to report.
   */
  static void warmUp() {
    try {
      encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB));
    } catch (IOException | RuntimeException | LinkageError e) {
      // the real encode reports it
    }
  }
}
