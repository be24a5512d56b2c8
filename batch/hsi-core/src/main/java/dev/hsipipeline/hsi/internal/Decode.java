package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Raw sample bytes → float (exact for all supported types). */
final class Decode {
    // Static final handles so the JIT can inline the accesses.
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle FLOAT_OUT = FLOAT_LE;

    private Decode() {}

    /** Integer types only: decodes {@code n} samples as ints (no float conversion in the statistics loop). */
    static void decodeInt(DataType type, boolean bigEndian, byte[] d, int off, int stride, int n, int[] dst) {
        switch (type) {
            case UINT8 -> {
                for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = d[p] & 0xFF;
            }
            case INT16 -> {
                if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_BE.get(d, p);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_LE.get(d, p);
            }
            case UINT16 -> {
                if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = ((short) SHORT_BE.get(d, p)) & 0xFFFF;
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = ((short) SHORT_LE.get(d, p)) & 0xFFFF;
            }
            case FLOAT32 -> throw new IllegalArgumentException("float32 is not an integer type");
        }
    }

    /** Decodes {@code n} samples starting at byte {@code off}, {@code stride} bytes apart. */
    static void decode(DataType type, boolean bigEndian, byte[] d, int off, int stride, int n, float[] dst) {
        switch (type) {
            case UINT8 -> {
                for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = d[p] & 0xFF;
            }
            case INT16 -> {
                if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_BE.get(d, p);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_LE.get(d, p);
            }
            case UINT16 -> {
                if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = ((short) SHORT_BE.get(d, p)) & 0xFFFF;
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = ((short) SHORT_LE.get(d, p)) & 0xFFFF;
            }
            case FLOAT32 -> {
                if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_BE.get(d, p);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_LE.get(d, p);
            }
        }
    }
}
