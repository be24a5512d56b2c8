package dev.hsipipeline.hsi.internal;

/**
 * Order statistics without sorting: the quicklook stretch needs 4 ranks of up to 1024² values per
 * channel. A two-level radix select (16 + 16 bits of an order-preserving integer key) finds each
 * exactly in a few linear passes, which also run fast before the JIT has compiled anything,
 * while a full sort is O(n log n) and its partitioning loops are a large C2 compilation that a
 * fresh job JVM pays for once per run. The values are those a sort would put at the ranks, so
 * the stretch is unchanged.
 */
final class Ranks {
    private Ranks() {}

    /** Unsigned-comparable key in {@link Float#compare} order (−0.0 before +0.0); no NaNs. */
    static int key(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? ~bits : bits | 0x80000000;
    }

    static float fromKey(int key) {
        return Float.intBitsToFloat(key < 0 ? key & 0x7FFFFFFF : ~key);
    }

    /**
     * The values at {@code ranks} (0-based, each in [0, n)) of {@code vals[0..n)} in ascending
     * {@link Float#compare} order, as {@code Arrays.sort} would place them. {@code vals} holds no
     * NaN and is not modified.
     */
    static float[] select(float[] vals, int n, int... ranks) {
        int[] keys = new int[n];
        int[] high = new int[1 << 16];
        for (int i = 0; i < n; i++) {
            int k = key(vals[i]);
            keys[i] = k;
            high[k >>> 16]++;
        }
        int[] low = new int[1 << 16];
        int lowBucket = -1;
        float[] out = new float[ranks.length];
        for (int j = 0; j < ranks.length; j++) {
            int r = ranks[j];
            if (r < 0 || r >= n) throw new IllegalArgumentException("rank " + r + " outside [0, " + n + ")");
            int b = 0, before = 0;
            while (before + high[b] <= r) before += high[b++];
            if (b != lowBucket) {
                java.util.Arrays.fill(low, 0);
                for (int i = 0; i < n; i++) if (keys[i] >>> 16 == b) low[keys[i] & 0xFFFF]++;
                lowBucket = b;
            }
            int l = 0;
            while (before + low[l] <= r) before += low[l++];
            out[j] = fromKey(b << 16 | l);
        }
        return out;
    }

    /** Linear interpolation between closest ranks (numpy's default) of vals[0..n); NaN when n = 0. */
    static double[] percentiles(float[] vals, int n, double... pcts) {
        double[] out = new double[pcts.length];
        if (n == 0) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        int[] ranks = new int[2 * pcts.length];
        double[] frac = new double[pcts.length];
        for (int j = 0; j < pcts.length; j++) {
            double pos = pcts[j] / 100 * (n - 1);
            int lo = (int) Math.floor(pos);
            ranks[2 * j] = lo;
            ranks[2 * j + 1] = Math.min(n - 1, lo + 1);
            frac[j] = pos - lo;
        }
        float[] v = select(vals, n, ranks);
        for (int j = 0; j < pcts.length; j++) {
            float lo = v[2 * j], hi = v[2 * j + 1];
            out[j] = lo + frac[j] * (hi - lo);
        }
        return out;
    }
}
