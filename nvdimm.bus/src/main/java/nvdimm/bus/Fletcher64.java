package nvdimm.bus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * libnvdimm's Fletcher64 ({@code nd_fletcher64}), the checksum of label index blocks, v1.2 labels, BTT and
 * PFN info blocks and the interleave-set cookie: the buffer as consecutive little-endian 32-bit words;
 * {@code lo} adds each word modulo 2^32, {@code hi} adds {@code lo} after each word (modulo 2^32, since
 * only its low half survives); the result is {@code hi << 32 | lo}. Trailing bytes beyond a multiple of 4
 * are ignored.
 */
public final class Fletcher64 {

    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Fletcher64() {
    }

    /** The checksum of all of {@code data}. */
    public static long of(byte[] data) {
        return of(data, 0, data.length);
    }

    /**
     * The checksum of {@code data[offset .. offset + length)}.
     *
     * @throws IndexOutOfBoundsException for a range outside {@code data}
     */
    public static long of(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long lo = 0;
        long hi = 0;
        int end = offset + (length & ~3);
        for (int i = offset; i < end; i += 4) {
            long word = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24;
            lo = (lo + word) & 0xffff_ffffL;
            hi = (hi + lo) & 0xffff_ffffL;
        }
        return hi << 32 | lo;
    }

    /** The checksum of all of {@code data}. */
    public static long of(MemorySegment data) {
        long lo = 0;
        long hi = 0;
        long end = data.byteSize() & ~3L;
        for (long i = 0; i < end; i += 4) {
            lo = (lo + Integer.toUnsignedLong(data.get(WORD, i))) & 0xffff_ffffL;
            hi = (hi + lo) & 0xffff_ffffL;
        }
        return hi << 32 | lo;
    }
}
