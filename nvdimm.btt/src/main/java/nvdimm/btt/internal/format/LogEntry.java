package nvdimm.btt.internal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One 16-byte log slot ({@code struct log_entry}): four little-endian u32s, held as raw ints. On the media
 * it is written as two 8-byte halves, {@link #firstHalf()} ({@code lba}, {@code old_map}) then
 * {@link #secondHalf()} ({@code new_map}, {@code seq}), so the sequence number lands last.
 *
 * @param lba the pre-map LBA the entry moved
 * @param oldMap the block it left, which became free; may carry the E flag (the block is bad)
 * @param newMap the block it moved to
 * @param seq 1, 2 or 3 (0: never written)
 */
public record LogEntry(int lba, int oldMap, int newMap, int seq) {

    /** Bytes of a slot. */
    public static final int SIZE = 16;
    /** The all-zero slot: padding, or a lane's unused second slot. */
    public static final LogEntry PADDING = new LogEntry(0, 0, 0, 0);

    /** Decodes the 16 bytes at {@code off}. */
    public static LogEntry decode(byte[] buf, int off) {
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        return new LogEntry(b.getInt(off), b.getInt(off + 4), b.getInt(off + 8), b.getInt(off + 12));
    }

    /** Writes the 16 bytes at {@code off}. */
    public void encode(byte[] buf, int off) {
        ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(off, lba).putInt(off + 4, oldMap)
                .putInt(off + 8, newMap).putInt(off + 12, seq);
    }

    /** Whether all 16 bytes are zero ({@code ent_is_padding}). */
    public boolean isPadding() {
        return lba == 0 && oldMap == 0 && newMap == 0 && seq == 0;
    }

    /** Bytes 0-7 as a little-endian long. */
    public long firstHalf() {
        return firstHalf(lba, oldMap);
    }

    /** Bytes 8-15 as a little-endian long. */
    public long secondHalf() {
        return secondHalf(newMap, seq);
    }

    /** Bytes 0-7 of a slot, as a little-endian long: {@code lba} then {@code old_map}. */
    public static long firstHalf(int lba, int oldMap) {
        return Integer.toUnsignedLong(lba) | (long) oldMap << 32;
    }

    /** Bytes 8-15 of a slot, as a little-endian long: {@code new_map} then {@code seq}. */
    public static long secondHalf(int newMap, int seq) {
        return Integer.toUnsignedLong(newMap) | (long) seq << 32;
    }

    @Override
    public String toString() {
        return "[" + Integer.toUnsignedString(lba) + ", " + Integer.toUnsignedString(oldMap) + ", "
                + Integer.toUnsignedString(newMap) + ", " + Integer.toUnsignedString(seq) + "]";
    }
}
