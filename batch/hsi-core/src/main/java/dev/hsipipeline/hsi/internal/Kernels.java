package dev.hsipipeline.hsi.internal;

/**
 * The per-sample loops of the engine, one band of one line per call.
 *
 * <p>Why this shape: a Batch job runs in a fresh JVM, and on a ~100 MB scene the work is over
 * before C2 would get round to compiling one large method with all loops inside (its single
 * compiler thread is busy with the AWS SDK's start-up methods first). Each kernel here is a tiny
 * static method with one monomorphic loop over primitive arrays, called ~10⁵ times per scene, so
 * C1 compiles it after a few hundred calls (milliseconds into the run), C2 soon after, and C2
 * vectorises it. Results depend only on the sample order within the call, which is fixed, so
 * every caller gets bit-identical sums.
 */
final class Kernels {
    private Kernels() {}

    static boolean valid(float x, boolean ignoreMatches, float ignore) {
        return Float.isFinite(x) && !(ignoreMatches && x == ignore);
    }

    /**
     * Signed 16-bit samples (int16, or uint8 widened): {@code acc} = sum, sum of squares, min, max
     * over all {@code n} samples (no branches: the ignore value is taken out afterwards).
     */
    static void intStatsSigned(short[] v, int n, long[] acc) {
        long s = 0, q = 0;
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int x = v[i];
            s += x;
            q += x * x; // |x| <= 32768: the square fits an int
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        acc[0] = s;
        acc[1] = q;
        acc[2] = lo;
        acc[3] = hi;
    }

    /** Unsigned 16-bit samples (uint16 bit patterns): as {@link #intStatsSigned}. */
    static void intStatsUnsigned(short[] v, int n, long[] acc) {
        long s = 0, q = 0;
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int x = v[i] & 0xFFFF;
            s += x;
            q += (long) x * x;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        acc[0] = s;
        acc[1] = q;
        acc[2] = lo;
        acc[3] = hi;
    }

    /** How many samples have exactly the bit pattern {@code raw}. */
    static int countEqual(short[] v, int n, short raw) {
        int c = 0;
        for (int i = 0; i < n; i++) c += v[i] == raw ? 1 : 0;
        return c;
    }

    /** Min and max into {@code acc[2], acc[3]} of the samples other than {@code raw}. */
    static void minMaxExcluding(short[] v, int n, short raw, boolean unsigned, long[] acc) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        int mask = unsigned ? 0xFFFF : -1;
        for (int i = 0; i < n; i++) {
            if (v[i] == raw) continue;
            int x = unsigned ? v[i] & mask : v[i];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        acc[2] = lo;
        acc[3] = hi;
    }

    /**
     * Float samples, two-pass: {@code acc} = count, mean, M2 (sum of squared deviations), min, max
     * of the valid samples (finite, not the ignore value).
     */
    static void floatStats(float[] v, int n, boolean ignoreMatches, float ignore, double[] acc) {
        long cnt = 0;
        double s = 0;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = v[i];
            if (!valid(x, ignoreMatches, ignore)) continue;
            cnt++;
            s += x;
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        double mean = cnt == 0 ? 0 : s / cnt;
        double m2 = 0;
        if (cnt > 0) {
            for (int i = 0; i < n; i++) {
                float x = v[i];
                if (!valid(x, ignoreMatches, ignore)) continue;
                double d = x - mean;
                m2 += d * d;
            }
        }
        acc[0] = cnt;
        acc[1] = mean;
        acc[2] = m2;
        acc[3] = lo;
        acc[4] = hi;
    }

    /**
     * {@code (a − b)/(a + b)} per sample into {@code out} (NaN where either is invalid or a + b = 0);
     * {@code acc} = count, sum, min, max of the finite results.
     */
    static void ndi(float[] a, float[] b, int n, boolean ignoreMatches, float ignore, float[] out, double[] acc) {
        long cnt = 0;
        double s = 0;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = a[i], y = b[i];
            float r = Float.NaN;
            if (valid(x, ignoreMatches, ignore) && valid(y, ignoreMatches, ignore)) {
                double sum = (double) x + y;
                if (sum != 0) r = (float) (((double) x - y) / sum);
            }
            out[i] = r;
            if (!Float.isNaN(r) && !Float.isInfinite(r)) {
                cnt++;
                s += r;
                if (r < lo) lo = r;
                if (r > hi) hi = r;
            }
        }
        acc[0] = cnt;
        acc[1] = s;
        acc[2] = lo;
        acc[3] = hi;
    }

    /** Adds each valid sample to its quicklook column {@code i / factor}. */
    static void boxSum(float[] v, int n, int factor, boolean ignoreMatches, float ignore, double[] sum, int[] count) {
        for (int i = 0; i < n; i++) {
            float x = v[i];
            if (!valid(x, ignoreMatches, ignore)) continue;
            sum[i / factor] += x;
            count[i / factor]++;
        }
    }

    static void widenUnsigned(byte[] d, int off, int n, short[] dst) {
        for (int i = 0; i < n; i++) dst[i] = (short) (d[off + i] & 0xFF);
    }

    static void toFloatSigned(short[] v, int n, float[] dst) {
        for (int i = 0; i < n; i++) dst[i] = v[i];
    }

    static void toFloatUnsigned(short[] v, int n, float[] dst) {
        for (int i = 0; i < n; i++) dst[i] = v[i] & 0xFFFF;
    }
}
