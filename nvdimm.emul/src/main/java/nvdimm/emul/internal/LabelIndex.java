package nvdimm.emul.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import nvdimm.bus.Fletcher64;

/**
 * Finds out whether a label storage area holds a valid namespace index block, as Linux decides
 * when it probes a DIMM ({@code __nd_label_validate}): the area has labels if index 0 or index 1
 * is valid for 128-byte or for 256-byte labels.
 */
final class LabelIndex {

    /** The index header ({@code struct nd_namespace_index}) without its free bitmap. */
    static final int HEADER = 72;
    static final byte[] SIGNATURE = "NAMESPACE_INDEX\0".getBytes(StandardCharsets.US_ASCII);
    private static final int[] LABEL_SIZES = {128, 256};
    private static final int CHECKSUM_OFFSET = 64;

    /** Reads the first {@code dst.length} bytes of the label area. */
    interface Source {
        void readStart(byte[] dst);
    }

    private LabelIndex() {
    }

    /**
     * The size of one index block for a label area of {@code areaSize} bytes and labels of
     * {@code labelSize} bytes (the current Linux and ndctl formula), or 0 when the area is too small
     * for two index blocks and two labels. (Linux also checks that two such blocks and the slots
     * fit; they always do, because the final block is no larger than the first estimate.)
     */
    static long indexSize(long areaSize, int labelSize) {
        long slots = areaSize / labelSize;
        long first = roundUp(HEADER + ceilDiv(slots, 8), 256);
        long nslot = (areaSize - 2 * first) / labelSize;
        if (nslot < 2) {
            return 0;
        }
        return roundUp(HEADER + ceilDiv(nslot, 8), 256);
    }

    /** Whether the area of {@code areaSize} bytes read through {@code source} has a valid index. */
    static boolean hasValidIndex(Source source, long areaSize) {
        for (int labelSize : LABEL_SIZES) {
            long size = indexSize(areaSize, labelSize);
            if (size == 0) {
                continue;
            }
            byte[] both = new byte[(int) (2 * size)];
            source.readStart(both);
            for (int i = 0; i < 2; i++) {
                if (valid(Arrays.copyOfRange(both, (int) (i * size), (int) ((i + 1) * size)), i, size, labelSize,
                        areaSize)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The checks of §3.3 of nvdimm-formats.md on index block {@code i} (its {@code size} bytes). */
    static boolean valid(byte[] block, int i, long size, int labelSize, long areaSize) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(block, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            return false;
        }
        int major = b.getShort(60) & 0xffff;
        int minor = b.getShort(62) & 0xffff;
        int sizeCode = block[19] & 0xff;
        long stated = major * 100 + minor < 102 ? 128 : sizeCode < 8 ? 128L << sizeCode : -1;
        if (stated != labelSize) {
            return false;
        }
        long checksum = b.getLong(CHECKSUM_OFFSET);
        b.putLong(CHECKSUM_OFFSET, 0);
        long computed = Fletcher64.of(block, 0, block.length);
        b.putLong(CHECKSUM_OFFSET, checksum);
        if (computed != checksum) {
            return false;
        }
        long seq = b.getInt(20) & 0xffffffffL;
        long myoff = b.getLong(24);
        long mysize = b.getLong(32);
        long otheroff = b.getLong(40);
        long nslot = b.getInt(56) & 0xffffffffL;
        return (seq & 3) != 0
                && myoff == i * size
                && otheroff == (1 - i) * size
                && mysize >= HEADER && mysize <= size
                && nslot * labelSize + 2 * size <= areaSize;
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
