package dev.hsipipeline.hsi.cog.internal;

import com.intel.gkl.compression.IntelDeflater;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Whole-tile zlib streams through Intel GKL's {@code IntelDeflater} (its optimised zlib: faster
 * than {@code java.util.zip} at the same level and practically the same size, measured in ADR
 * 0109), when its bundled native library loads here (Linux x86_64, macOS); otherwise, or with
 * {@code -Dhsi.cog.deflate=zlib}, callers use {@code java.util.zip}. The native deflater is
 * one-shot: one {@code setInput} of the whole tile, {@code finish}, one {@code deflate} into a
 * buffer large enough — it neither streams nor takes a preset dictionary, so multi-piece tiles stay
 * on zlib.
 */
final class NativeDeflate {
  private static final boolean LOADED = load();

  private NativeDeflate() {}

  /** Whether tiles are compressed natively in this process. */
  static boolean available() {
    return LOADED;
  }

  /** A native zlib-format deflater at {@code level}, or null where only java.util.zip can do it. */
  static Deflater create(int level) {
    // GKL writes the zlib wrapper at levels 3-9 only.
    if (!LOADED || level < 3 || level > 9) return null;
    return new IntelDeflater(level, false);
  }

  /**
   * Compresses {@code in[0, length)} into {@code out} as one zlib stream.
   *
   * @return the compressed length, or -1 when it did not fit (the caller falls back)
   */
  static int compress(Deflater d, byte[] in, int length, byte[] out) {
    d.reset();
    d.setInput(in, 0, length);
    d.finish();
    int n = d.deflate(out, 0, out.length);
    return d.finished() ? n : -1;
  }

  /** Room for any tile of {@code length} bytes (zlib's bound plus a margin). */
  static int bound(int length) {
    return length + (length >> 3) + 1024;
  }

  private static boolean load() {
    String choice = System.getProperty("hsi.cog.deflate", "native").toLowerCase(Locale.ROOT);
    if (choice.equals("zlib")) return false;
    try {
      return new IntelDeflater().load(null);
    } catch (LinkageError | RuntimeException e) {
      // No library for this platform, or it cannot be loaded: java.util.zip it is.
      return false;
    }
  }
}
