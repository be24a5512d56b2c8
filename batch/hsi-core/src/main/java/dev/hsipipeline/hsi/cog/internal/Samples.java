package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Sample conversions between bytes (either order) and float values, exact for every type. */
final class Samples {
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** How GDAL's average rounds a type: integer arithmetic, via float to int16, or float. */
  enum Kind {
    UINT,
    INT16,
    FLOAT
  }

  private Samples() {}

  static Kind kind(DataType t) {
    return switch (t) {
      case UINT8, UINT16 -> Kind.UINT;
      case INT16 -> Kind.INT16;
      case FLOAT32 -> Kind.FLOAT;
    };
  }

  /** GDAL's float → int16 conversion: round half away from zero in float, clamp, NaN → 0. */
  static float roundInt16(float v) {
    if (Float.isNaN(v)) return 0;
    float r = v >= 0 ? v + 0.5f : v - 0.5f;
    if (r >= Short.MAX_VALUE) return Short.MAX_VALUE;
    if (r <= Short.MIN_VALUE) return Short.MIN_VALUE;
    return (int) r;
  }

  /** Reads {@code n} samples at byte offset {@code off} with a stride of {@code stride} samples. */
  static void decode(DataType t, boolean big, byte[] src, int off, int stride, int n, float[] dst) {
    switch (t) {
      case UINT8 -> {
        for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = src[p] & 0xFF;
      }
      case INT16 -> {
        int step = 2 * stride;
        if (big)
          for (int i = 0, p = off; i < n; i++, p += step) dst[i] = (short) SHORT_BE.get(src, p);
        else for (int i = 0, p = off; i < n; i++, p += step) dst[i] = (short) SHORT_LE.get(src, p);
      }
      case UINT16 -> {
        int step = 2 * stride;
        if (big)
          for (int i = 0, p = off; i < n; i++, p += step)
            dst[i] = (short) SHORT_BE.get(src, p) & 0xFFFF;
        else
          for (int i = 0, p = off; i < n; i++, p += step)
            dst[i] = (short) SHORT_LE.get(src, p) & 0xFFFF;
      }
      case FLOAT32 -> {
        int step = 4 * stride;
        if (big)
          for (int i = 0, p = off; i < n; i++, p += step)
            dst[i] = Float.intBitsToFloat((int) INT_BE.get(src, p));
        else
          for (int i = 0, p = off; i < n; i++, p += step)
            dst[i] = Float.intBitsToFloat((int) INT_LE.get(src, p));
      }
    }
  }

  /** Writes {@code n} values (exact for the type) little endian at byte offset {@code off}. */
  static void encodeLe(DataType t, float[] src, int n, byte[] dst, int off) {
    switch (t) {
      case UINT8 -> {
        for (int i = 0; i < n; i++) dst[off + i] = (byte) (int) src[i];
      }
      case INT16, UINT16 -> {
        for (int i = 0, p = off; i < n; i++, p += 2) SHORT_LE.set(dst, p, (short) (int) src[i]);
      }
      case FLOAT32 -> {
        for (int i = 0, p = off; i < n; i++, p += 4)
          INT_LE.set(dst, p, Float.floatToRawIntBits(src[i]));
      }
    }
  }

  /**
   * Copies {@code n} samples of {@code bps} bytes from {@code src} (stride {@code srcStride}
   * samples) to little-endian {@code dst} (stride {@code dstStride}), swapping bytes when the
   * source is big endian.
   */
  static void copyToLe(
      byte[] src,
      int srcOff,
      int srcStride,
      boolean bigSrc,
      byte[] dst,
      int dstOff,
      int dstStride,
      int n,
      int bps) {
    if (srcStride == 1 && dstStride == 1 && (!bigSrc || bps == 1)) {
      System.arraycopy(src, srcOff, dst, dstOff, n * bps);
      return;
    }
    int ss = srcStride * bps, ds = dstStride * bps;
    switch (bps) {
      case 1 -> {
        for (int i = 0, s = srcOff, d = dstOff; i < n; i++, s += ss, d += ds) dst[d] = src[s];
      }
      case 2 -> {
        if (bigSrc)
          for (int i = 0, s = srcOff, d = dstOff; i < n; i++, s += ss, d += ds) {
            dst[d] = src[s + 1];
            dst[d + 1] = src[s];
          }
        else
          for (int i = 0, s = srcOff, d = dstOff; i < n; i++, s += ss, d += ds)
            SHORT_LE.set(dst, d, (short) SHORT_LE.get(src, s));
      }
      default -> {
        if (bigSrc)
          for (int i = 0, s = srcOff, d = dstOff; i < n; i++, s += ss, d += ds)
            INT_LE.set(dst, d, (int) INT_BE.get(src, s));
        else
          for (int i = 0, s = srcOff, d = dstOff; i < n; i++, s += ss, d += ds)
            INT_LE.set(dst, d, (int) INT_LE.get(src, s));
      }
    }
  }
}
