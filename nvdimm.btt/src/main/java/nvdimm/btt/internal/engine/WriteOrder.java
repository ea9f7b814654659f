package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;

import nvdimm.btt.internal.format.LogEntry;
import nvdimm.btt.internal.format.LogWriter;
import nvdimm.bus.Medium;

/**
 * The stores of a sector write and the barriers between them, step by step, as {@link Btt} calls them: the
 * data into the free block, the log entry, the map entry. {@link #LINUX} is the only order the engine uses
 * ({@code btt_write_pg}: data persisted, then the log's two halves each persisted with the sequence half
 * last, then the map persisted). Package-private so that the crash tests can hand a BTT a wrong order and
 * show that the crash explorer catches it.
 */
interface WriteOrder {

    /** Linux's order; every step persisted before the next. */
    WriteOrder LINUX = new WriteOrder() {
        @Override
        public void data(Medium medium, long at, MemorySegment src, long srcOffset, long length) {
            medium.write(at, src, srcOffset, length);
            medium.persist(at, length);
        }

        @Override
        public void log(Medium medium, long slot, long firstHalf, long secondHalf) {
            LogWriter.writeHalves(medium, slot, firstHalf, secondHalf);
        }

        @Override
        public void map(Medium medium, long at, int entry) {
            medium.writeInt(at, entry);
            medium.persist(at, Integer.BYTES);
        }
    };

    /** Writes a sector's bytes into its new block; they must be durable when this returns. */
    void data(Medium medium, long at, MemorySegment src, long srcOffset, long length);

    /**
     * Writes a log slot: {@link LogEntry#firstHalf(int, int)} at {@code slot}, then
     * {@link LogEntry#secondHalf(int, int)} (which commits the write) after it.
     */
    void log(Medium medium, long slot, long firstHalf, long secondHalf);

    /** Writes a map entry, after the log commit. */
    void map(Medium medium, long at, int entry);
}
