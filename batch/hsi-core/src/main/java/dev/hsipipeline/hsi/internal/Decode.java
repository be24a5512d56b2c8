package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw sample bytes → primitive arrays (exact for all supported types).
 *
 * <p>Contiguous samples (BIL and BSQ lines) are copied with the NIO view buffers' bulk get, which
 * is a native byte-swapping memory copy from the first call: it runs at memcpy speed whether the
 * caller is interpreted, C1- or C2-compiled. A fresh job JVM spends its first second(s) before
 * C2 has compiled anything, so the per-sample work must not depend on the JIT to be fast.
 * Strided samples (BIP) fall back to a gather loop.
 */
final class Decode {
    // Static final handles so the JIT can inline the accesses (strided path only).
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private Decode() {}

    private static ByteBuffer view(byte[] d, int off, int len, boolean bigEndian) {
        return ByteBuffer.wrap(d, off, len).slice().order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Integer types: {@code n} samples as their raw 16-bit patterns (uint8 widened to 0..255,
     * int16 as is, uint16 as the same bits: read it with {@code & 0xFFFF}).
     */
    static void rawShorts(DataType type, boolean bigEndian, byte[] d, int off, int stride, int n, short[] dst) {
        switch (type) {
            case UINT8 -> {
                if (stride == 1) Kernels.widenUnsigned(d, off, n, dst);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) (d[p] & 0xFF);
            }
            case INT16, UINT16 -> {
                if (stride == 2) view(d, off, 2 * n, bigEndian).asShortBuffer().get(dst, 0, n);
                else if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_BE.get(d, p);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (short) SHORT_LE.get(d, p);
            }
            case FLOAT32 -> throw new IllegalArgumentException("float32 is not an integer type");
        }
    }

    /**
     * Decodes {@code n} samples starting at byte {@code off}, {@code stride} bytes apart, as floats;
     * {@code tmp} (at least {@code n} long) holds the raw integers on the way.
     */
    static void floats(DataType type, boolean bigEndian, byte[] d, int off, int stride, int n, float[] dst, short[] tmp) {
        switch (type) {
            case UINT8, INT16 -> {
                rawShorts(type, bigEndian, d, off, stride, n, tmp);
                Kernels.toFloatSigned(tmp, n, dst);
            }
            case UINT16 -> {
                rawShorts(type, bigEndian, d, off, stride, n, tmp);
                Kernels.toFloatUnsigned(tmp, n, dst);
            }
            case FLOAT32 -> {
                if (stride == 4) view(d, off, 4 * n, bigEndian).asFloatBuffer().get(dst, 0, n);
                else if (bigEndian) for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_BE.get(d, p);
                else for (int i = 0, p = off; i < n; i++, p += stride) dst[i] = (float) FLOAT_LE.get(d, p);
            }
        }
    }

    /** Writes {@code n} floats little endian at byte {@code off} (the NDI product's layout). */
    static void putFloatsLE(float[] src, int n, byte[] d, int off) {
        view(d, off, 4 * n, false).asFloatBuffer().put(src, 0, n);
    }
}
