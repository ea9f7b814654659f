package nvdimm.bus.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SequencedSet;
import java.util.TreeMap;

import nvdimm.bus.Medium;

/**
 * What a power failure could leave, at one moment: the persisted image plus, for every aligned
 * 8-byte word stored since its last barrier, the distinct values it has had since then.
 *
 * <p>A word's choices after a crash are its persisted value or any of those values, because its
 * cache line may have been written back at any moment since the barrier; words are independent,
 * since only 8 bytes are failure-atomic. Not thread-safe: its owner serialises access.
 */
final class PersistenceState {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A word with stores since its last barrier. */
    private static final class Pending {
        /** The value the program sees now; what a barrier persists. */
        long current;
        /** Distinct values since the last barrier, in first-seen order, never the persisted value. */
        final SequencedSet<Long> seen;

        Pending(long current, SequencedSet<Long> seen) {
            this.current = current;
            this.seen = seen;
        }
    }

    private final MemorySegment persisted;
    private final NavigableMap<Long, Pending> pending = new TreeMap<>();

    private PersistenceState(MemorySegment persisted) {
        this.persisted = persisted;
    }

    /** A state whose persisted image is a copy of {@code initial}'s content and nothing is pending. */
    static PersistenceState of(Medium initial) {
        MemorySegment image = Arena.ofAuto().allocate(initial.size(), Long.BYTES);
        initial.read(0, image);
        return new PersistenceState(image);
    }

    /** An independent copy, for replaying from this moment. */
    PersistenceState copy() {
        MemorySegment image = Arena.ofAuto().allocate(persisted.byteSize(), Long.BYTES);
        image.copyFrom(persisted);
        PersistenceState copy = new PersistenceState(image);
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            copy.pending.put(e.getKey(), new Pending(p.current, new LinkedHashSet<>(p.seen)));
        }
        return copy;
    }

    long size() {
        return persisted.byteSize();
    }

    /** The persisted image; callers only read it. */
    MemorySegment persisted() {
        return persisted;
    }

    /** Stores {@code bytes} at {@code offset}: every word it touches gets a new pending value. */
    void store(long offset, byte[] bytes) {
        long end = offset + bytes.length;
        for (long word = offset >>> 3; (word << 3) < end; word++) {
            long wordStart = word << 3;
            Pending p = pending.get(word);
            long value = p != null ? p.current : persistedWord(word);
            long from = Math.max(offset, wordStart);
            long to = Math.min(end, wordStart + Long.BYTES);
            for (long at = from; at < to; at++) {
                int shift = (int) (at & 7) * Byte.SIZE; // little-endian: byte k of a word is bits 8k..8k+7
                value = (value & ~(0xFFL << shift)) | ((bytes[(int) (at - offset)] & 0xFFL) << shift);
            }
            update(word, p, value);
        }
    }

    private void update(long word, Pending p, long value) {
        long persistedValue = persistedWord(word);
        if (p == null) {
            if (value != persistedValue) {
                SequencedSet<Long> seen = new LinkedHashSet<>();
                seen.add(value);
                pending.put(word, new Pending(value, seen));
            }
            return;
        }
        p.current = value;
        if (value != persistedValue) {
            p.seen.add(value); // a set: a value seen before adds no new crash image
        }
    }

    /** The barrier for {@code [offset, offset+length)}: its pending words take their current values. */
    void persist(long offset, long length) {
        if (length == 0) {
            return;
        }
        NavigableMap<Long, Pending> covered = pending.subMap(offset >>> 3, true, (offset + length - 1) >>> 3, true);
        for (Map.Entry<Long, Pending> e : covered.entrySet()) {
            persisted.set(WORD, e.getKey() << 3, e.getValue().current);
        }
        covered.clear();
    }

    /** The deep flush: every pending word takes its current value. */
    void persistAll() {
        persist(0, size());
    }

    int pendingWords() {
        return pending.size();
    }

    /** The byte offsets of the pending words, ascending. */
    long[] pendingOffsets() {
        return pending.keySet().stream().mapToLong(word -> word << 3).toArray();
    }

    /** The values the pending word at {@code offset} may show besides its persisted one, oldest first. */
    long[] choices(long offset) {
        return pending.get(offset >>> 3).seen.stream().mapToLong(Long::longValue).toArray();
    }

    /** The value the program sees now at the pending word at {@code offset}. */
    long current(long offset) {
        return pending.get(offset >>> 3).current;
    }

    private long persistedWord(long word) {
        return persisted.get(WORD, word << 3);
    }
}
