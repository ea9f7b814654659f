package nvdimm.btt.internal.format;

import nvdimm.bus.Medium;

/**
 * Writes a log slot as Linux's {@code __btt_log_write} does: bytes 0-7 ({@code lba}, {@code old_map}) as one
 * atomic 8-byte store, persisted, then bytes 8-15 ({@code new_map}, {@code seq}), persisted. The entry is
 * valid only once its seq lands, and each half is failure-atomic. Static and allocation-free: the write path
 * calls it per sector.
 */
public final class LogWriter {

    private LogWriter() {
    }

    /**
     * Writes and persists one slot.
     *
     * @param medium the medium
     * @param slotOffset the slot's absolute offset on the medium, 8-byte aligned
     * @throws nvdimm.bus.NvdimmException as the medium fails (errno unchanged); the first half may have
     *     landed when the second fails
     */
    public static void writeSlot(Medium medium, long slotOffset, int lba, int oldMap, int newMap, int seq) {
        writeHalves(medium, slotOffset, LogEntry.firstHalf(lba, oldMap), LogEntry.secondHalf(newMap, seq));
    }

    /** {@link #writeSlot} with the halves encoded already ({@link LogEntry#firstHalf}, {@link LogEntry#secondHalf}). */
    public static void writeHalves(Medium medium, long slotOffset, long firstHalf, long secondHalf) {
        medium.writeLong(slotOffset, firstHalf);
        medium.persist(slotOffset, 8);
        medium.writeLong(slotOffset + 8, secondHalf);
        medium.persist(slotOffset + 8, 8);
    }

    /** The absolute offset of sub-entry {@code sub} of {@code lane}'s group. */
    public static long slotOffset(long bttStart, ArenaGeometry arena, LogIndices indices, int lane, int sub) {
        return bttStart + arena.logGroupOffset(lane) + (long) indices.slot(sub) * LogEntry.SIZE;
    }
}
