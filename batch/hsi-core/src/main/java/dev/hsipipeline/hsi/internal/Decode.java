package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Raw sample bytes → primitive arrays (exact for all supported types).
 *
 * <p>Contiguous samples (BIL and BSQ lines) are copied with the NIO view buffers' absolute bulk
 * get, which is a native byte-swapping memory copy from the first call: it runs at memcpy speed
 * whether the caller is interpreted, C1- or C2-compiled. A fresh job JVM spends its first second(s)
 * before C2 has compiled anything, so the per-sample work must not depend on the JIT to be fast.
 * The views are made once per block ({@link Views}): making them per line would make {@code
 * asShortBuffer}/{@code slice} hot, and C2 would spend hundreds of ms compiling them. Strided
 * samples (BIP) fall back to a gather loop.
 */
final class Decode {
  // Static final handles so the JIT can inline the accesses (strided path only).
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle FLOAT_LE =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT_BE =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

  private Decode() {}

  /** 16-bit and 32-bit views of one block's bytes in the cube's byte order. */
  static final class Views {
    final ShortBuffer shorts;
    final FloatBuffer floats;

    Views(byte[] d, boolean bigEndian) {
      ByteBuffer bb =
          ByteBuffer.wrap(d).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      shorts = bb.asShortBuffer();
      floats = bb.asFloatBuffer();
    }
  }

  /**
   * Integer types: {@code n} samples as their raw 16-bit patterns (uint8 widened to 0..255, int16
   * as is, uint16 as the same bits: read it with {@code & 0xFFFF}).
   */
  static void rawShorts(
      DataType type,
      boolean bigEndian,
      byte[] d,
      Views views,
      int off,
      int stride,
      int n,
      short[] dst) {
    switch (type) {
      case UINT8 -> {
        if (stride == 1) Kernels.widenUnsigned(d, off, n, dst);
        else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) (d[p] & 0xFF);
      }
      case INT16, UINT16 -> {
        if (stride == 2 && (off & 1) == 0) views.shorts.get(off >> 1, dst, 0, n);
        else if (bigEndian)
          for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_BE.get(d, p);
        else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_LE.get(d, p);
      }
      case FLOAT32 -> throw new IllegalArgumentException("float32 is not an integer type");
    }
  }

  /**
   * Decodes {@code n} samples starting at byte {@code off}, {@code stride} bytes apart, as floats;
   * {@code tmp} (at least {@code n} long) holds the raw integers on the way.
   */
  static void floats(
      DataType type,
      boolean bigEndian,
      byte[] d,
      Views views,
      int off,
      int stride,
      int n,
      float[] dst,
      short[] tmp) {
    switch (type) {
      case UINT8, INT16 -> {
        rawShorts(type, bigEndian, d, views, off, stride, n, tmp);
        Kernels.toFloatSigned(tmp, n, dst);
      }
      case UINT16 -> {
        rawShorts(type, bigEndian, d, views, off, stride, n, tmp);
        Kernels.toFloatUnsigned(tmp, n, dst);
      }
      case FLOAT32 -> {
        if (stride == 4 && (off & 3) == 0) views.floats.get(off >> 2, dst, 0, n);
        else if (bigEndian)
          for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_BE.get(d, p);
        else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_LE.get(d, p);
      }
    }
  }

  /** A little-endian float view of {@code d} (the NDI product's layout). */
  static FloatBuffer floatsLE(byte[] d) {
    return ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
