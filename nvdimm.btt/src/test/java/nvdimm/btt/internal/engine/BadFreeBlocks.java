package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentSkipListMap;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.bus.Medium;

/**
 * A namespace's bad blocks for tests: ranges of the medium marked bad, cleared by the write that clears them
 * (zeros, persisted). Counts the clears.
 */
final class BadFreeBlocks implements MediaErrors {
    /** Bad ranges: start offset to end offset. */
    private final ConcurrentSkipListMap<Long, Long> bad = new ConcurrentSkipListMap<>();
    volatile int cleared;

    /** Marks the data block {@code block} of the first arena of {@code x}'s BTT bad. */
    void markBlock(CrashExplorer x, long block) {
        ArenaGeometry g = x.btt.arenas().getFirst().geometry();
        long at = x.version.initialOffset() + g.dataBlockOffset(block);
        bad.put(at, at + g.internalLbaSize());
    }

    /** Marks {@code [offset, offset + length)} bad. */
    void mark(long offset, long length) {
        bad.put(offset, offset + length);
    }

    @Override
    public boolean isBad(long offset, long length) {
        var below = bad.lowerEntry(offset + length);
        return below != null && below.getValue() > offset;
    }

    @Override
    public void clear(Medium medium, long offset, long length, MemorySegment zeros) {
        MediaErrors.super.clear(medium, offset, length, zeros);
        bad.headMap(offset + length).entrySet().removeIf(e -> e.getValue() > offset);
        cleared++;
    }
}
