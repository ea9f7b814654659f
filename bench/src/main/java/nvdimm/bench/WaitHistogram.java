package nvdimm.bench;

/**
 * A fixed-size, allocation-free histogram of non-negative nanosecond values (HdrHistogram's idea at 32
 * sub-buckets per power of two: values below 64 exactly, larger ones within about 3 %). One per thread; merge
 * them after the threads end.
 */
final class WaitHistogram {
    private static final int LINEAR = 64;
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    /** Exponents 6 to 62 above the linear part. */
    private static final int BUCKETS = LINEAR + (63 - 6) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    /** The largest value recorded, exactly. */
    long max() {
        return max;
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return LINEAR + (e - 6) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code i}. */
    static long upperBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int e = (i - LINEAR) / SUB + 6;
        int sub = (i - LINEAR) % SUB;
        return ((long) (SUB + sub + 1) << (e - SUB_BITS)) - 1;
    }

    void add(WaitHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    /** The value at quantile {@code q} (0 to 1): the upper bound of the bucket that holds it; 0 when empty. */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
