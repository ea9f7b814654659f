package nvdimm.emul.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test-local writers of what Linux and ndctl put in a label area (nvdimm-formats.md §3.1-3.2), and
 * a test-local Fletcher-64, independent of the code under test.
 */
final class LabelAreas {

    private LabelAreas() {
    }

    static long fletcher64(byte[] buf, int off, int len) {
        long lo = 0;
        long hi = 0;
        ByteBuffer b = ByteBuffer.wrap(buf, off, len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            lo = (lo + Integer.toUnsignedLong(b.getInt())) & 0xffffffffL;
            hi = (hi + lo) & 0xffffffffL;
        }
        return hi << 32 | lo;
    }

    static int nslot(int areaSize, int labelSize) {
        int first = roundUp(72 + (areaSize / labelSize + 7) / 8, 256);
        return (areaSize - 2 * first) / labelSize;
    }

    static int indexSize(int areaSize, int labelSize) {
        return roundUp(72 + (nslot(areaSize, labelSize) + 7) / 8, 256);
    }

    private static int roundUp(int v, int unit) {
        return (v + unit - 1) / unit * unit;
    }

    /** A label area as {@code ndctl init-labels} leaves it: index 0 with seq 3, index 1 with seq 2. */
    static byte[] fresh(int areaSize, int labelSize) {
        return java.util.Arrays.copyOf(indexes(areaSize, labelSize), areaSize);
    }

    /** Just the two index blocks of {@link #fresh}: what sits at the start of the area. */
    static byte[] indexes(int areaSize, int labelSize) {
        byte[] blocks = new byte[2 * indexSize(areaSize, labelSize)];
        writeIndex(blocks, 0, areaSize, labelSize, 3);
        writeIndex(blocks, 1, areaSize, labelSize, 2);
        return blocks;
    }

    /** Writes index block {@code i} with a correct checksum. */
    static void writeIndex(byte[] area, int i, int areaSize, int labelSize, int seq) {
        int size = indexSize(areaSize, labelSize);
        int nslot = nslot(areaSize, labelSize);
        ByteBuffer b = ByteBuffer.wrap(area, i * size, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, "NAMESPACE_INDEX\0".getBytes(StandardCharsets.US_ASCII));
        b.put(19, (byte) (labelSize >> 8));
        b.putInt(20, seq);
        b.putLong(24, (long) i * size);
        b.putLong(32, size);
        b.putLong(40, (long) (1 - i) * size);
        b.putLong(48, 2L * size);
        b.putInt(56, nslot);
        b.putShort(60, (short) 1);
        b.putShort(62, (short) (labelSize == 128 ? 1 : 2));
        for (int s = 0; s < nslot; s++) {
            b.put(72 + s / 8, (byte) (b.get(72 + s / 8) | 1 << (s % 8)));
        }
        reseal(area, i, size);
    }

    /** Recomputes the checksum of index block {@code i} of {@code size} bytes. */
    static void reseal(byte[] area, int i, int size) {
        ByteBuffer b = ByteBuffer.wrap(area, i * size, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(64, 0);
        b.putLong(64, fletcher64(area, i * size, size));
    }
}
