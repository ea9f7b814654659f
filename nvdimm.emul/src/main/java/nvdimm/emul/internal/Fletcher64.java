package nvdimm.emul.internal;

/**
 * libnvdimm's Fletcher-64: the buffer as little-endian 32-bit words; {@code lo} sums the words and
 * {@code hi} sums the running {@code lo}, both modulo 2^32; the result is {@code hi << 32 | lo}.
 * Trailing bytes beyond a multiple of 4 are ignored.
 */
final class Fletcher64 {

    private Fletcher64() {
    }

    static long of(byte[] buf, int off, int len) {
        long lo = 0;
        long hi = 0;
        for (int i = off; i + 4 <= off + len; i += 4) {
            long word = (buf[i] & 0xffL) | (buf[i + 1] & 0xffL) << 8 | (buf[i + 2] & 0xffL) << 16
                    | (buf[i + 3] & 0xffL) << 24;
            lo = (lo + word) & 0xffffffffL;
            hi = (hi + lo) & 0xffffffffL;
        }
        return hi << 32 | lo;
    }
}
