package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.cog.CogOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * TIFF predictors applied in place to one little-endian tile row, exactly as libtiff's encoder does
 * (tif_predict.c: horDiff8/16/32 and fpDiff), with {@code stride} = samples per pixel.
 */
final class Predictors {
  static final int NONE = 1, HORIZONTAL = 2, FLOATING_POINT = 3;

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Predictors() {}

  /** The TIFF predictor code for the option and sample type. */
  static int of(CogOptions.Predictor p, DataType t) {
    return switch (p) {
      case AUTO -> t == DataType.FLOAT32 ? Predictors.FLOATING_POINT : Predictors.HORIZONTAL;
      case NONE -> Predictors.NONE;
      case HORIZONTAL -> Predictors.HORIZONTAL;
      case FLOATING_POINT -> {
        if (t != DataType.FLOAT32)
          throw new IllegalArgumentException(
              "the floating point predictor needs float32 samples, not " + t.label());
        yield Predictors.FLOATING_POINT;
      }
    };
  }

  /**
   * Applies {@code predictor} to {@code samples} samples of {@code bps} bytes at {@code off};
   * {@code tmp} holds at least one row for the floating point predictor, {@code shorts} at least
   * one row of 16-bit samples.
   */
  static void apply(
      int predictor,
      byte[] row,
      int off,
      int samples,
      int bps,
      int stride,
      byte[] tmp,
      short[] shorts) {
    if (predictor == HORIZONTAL) horizontal(row, off, samples, bps, stride, shorts);
    else if (predictor == FLOATING_POINT) floatingPoint(row, off, samples, stride, tmp);
  }

  private static void horizontal(byte[] r, int off, int n, int bps, int stride, short[] v) {
    switch (bps) {
      case 1 -> {
        for (int i = off + n - 1; i >= off + stride; i--) r[i] = (byte) (r[i] - r[i - stride]);
      }
      case 2 -> {
        // through a short[]: the NIO bulk copies are native, the loop on an array vectorises
        ByteBuffer bb = ByteBuffer.wrap(r, off, 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        bb.asShortBuffer().get(v, 0, n);
        for (int i = n - 1; i >= stride; i--) v[i] = (short) (v[i] - v[i - stride]);
        bb.asShortBuffer().put(v, 0, n);
      }
      default -> {
        int s = 4 * stride;
        for (int p = off + 4 * (n - 1); p >= off + s; p -= 4)
          INT_LE.set(r, p, (int) INT_LE.get(r, p) - (int) INT_LE.get(r, p - s));
      }
    }
  }

  /** Byte planes most significant first, then byte differencing with the pixel stride. */
  private static void floatingPoint(byte[] r, int off, int n, int stride, byte[] tmp) {
    int cc = 4 * n;
    System.arraycopy(r, off, tmp, 0, cc);
    for (int i = 0; i < n; i++) {
      int s = 4 * i;
      r[off + i] = tmp[s + 3];
      r[off + n + i] = tmp[s + 2];
      r[off + 2 * n + i] = tmp[s + 1];
      r[off + 3 * n + i] = tmp[s];
    }
    for (int i = off + cc - 1; i >= off + stride; i--) r[i] = (byte) (r[i] - r[i - stride]);
  }
}
