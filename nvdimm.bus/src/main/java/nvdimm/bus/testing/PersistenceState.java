package nvdimm.bus.testing;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SequencedSet;
import java.util.TreeMap;

import nvdimm.bus.Medium;

/**
 * What a power failure could leave of one medium, at one moment: the persisted image plus, for
 * every aligned 8-byte word stored since its last barrier, the distinct values it may show.
 *
 * <p>A word's choices after a crash are its persisted value or any value it had since the barrier,
 * because its cache line may have been written back at any moment; words are independent, since
 * only 8 bytes are failure-atomic. A bulk write at an offset that is not a multiple of 8 also adds
 * the two torn values of each word it changes: a copy to such an offset moves 8-byte units that
 * straddle the words, so a write back between two units leaves a word with one part new and the
 * other old. Not thread-safe: its owner serialises access.
 */
final class PersistenceState {

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

    /**
     * The pending words of a moment, frozen for enumeration: computed once per crash point, so no
     * image recomputes them.
     *
     * @param persisted the persisted image, shared copy-on-write with the live state
     * @param offsets the byte offsets of the pending words, ascending
     * @param choices for each pending word, the values it may show besides its persisted one
     * @param current for each pending word, the value the program sees
     */
    record Frozen(PagedImage persisted, long[] offsets, long[][] choices, long[] current) {
        int pendingWords() {
            return offsets.length;
        }
    }

    private final PagedImage persisted;
    private final NavigableMap<Long, Pending> pending = new TreeMap<>();

    private PersistenceState(PagedImage persisted) {
        this.persisted = persisted;
    }

    /** A zero-filled state of {@code size} bytes, nothing pending. */
    static PersistenceState zero(long size) {
        return new PersistenceState(new PagedImage(size));
    }

    /** A state whose persisted image is a copy of {@code initial}'s content and nothing is pending. */
    static PersistenceState of(Medium initial) {
        return new PersistenceState(PagedImage.of(initial));
    }

    /** An independent copy, for replaying from this moment; pages are shared copy-on-write. */
    PersistenceState copy() {
        PersistenceState copy = new PersistenceState(persisted.copy());
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            copy.pending.put(e.getKey(), new Pending(p.current, new LinkedHashSet<>(p.seen)));
        }
        return copy;
    }

    /** This moment, frozen: later stores and barriers to this state do not change it. */
    Frozen freeze() {
        int n = pending.size();
        long[] offsets = new long[n];
        long[][] choices = new long[n][];
        long[] current = new long[n];
        int i = 0;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            offsets[i] = e.getKey() << 3;
            choices[i] = e.getValue().seen.stream().mapToLong(Long::longValue).toArray();
            current[i] = e.getValue().current;
            i++;
        }
        return new Frozen(persisted.copy(), offsets, choices, current);
    }

    long size() {
        return persisted.size();
    }

    /** The persisted image; callers only read it. */
    PagedImage persisted() {
        return persisted;
    }

    /**
     * Stores {@code bytes[off .. off+len)} at {@code offset}: every word it changes gets a new
     * pending value, and a bulk store at an unaligned offset also the torn values of those words.
     */
    void store(long offset, byte[] bytes, int off, int len, boolean atomic) {
        long end = offset + len;
        int split = atomic ? 0 : (int) (offset & 7);
        long low = (1L << (split * Byte.SIZE)) - 1; // the bytes of a word below the split
        for (long word = offset >>> 3; (word << 3) < end; word++) {
            long wordStart = word << 3;
            Pending p = pending.get(word);
            long before = p != null ? p.current : persisted.getLong(wordStart);
            long value = before;
            long from = Math.max(offset, wordStart);
            long to = Math.min(end, wordStart + Long.BYTES);
            for (long at = from; at < to; at++) {
                int shift = (int) (at & 7) * Byte.SIZE; // little-endian: byte k of a word is bits 8k..8k+7
                value = (value & ~(0xFFL << shift)) | ((bytes[off + (int) (at - offset)] & 0xFFL) << shift);
            }
            if (value == before) {
                continue;
            }
            if (split != 0) {
                p = update(word, p, (value & low) | (before & ~low)); // the lower unit landed alone
                p = update(word, p, (before & low) | (value & ~low)); // the upper unit landed alone
            }
            update(word, p, value);
        }
    }

    /** Makes {@code value} the word's current value and one of its choices; returns its entry. */
    private Pending update(long word, Pending p, long value) {
        long persistedValue = persisted.getLong(word << 3);
        if (p == null) {
            if (value == persistedValue) {
                return null;
            }
            SequencedSet<Long> seen = new LinkedHashSet<>();
            seen.add(value);
            p = new Pending(value, seen);
            pending.put(word, p);
            return p;
        }
        p.current = value;
        if (value != persistedValue) {
            p.seen.add(value); // a set: a value seen before adds no new crash image
        }
        return p;
    }

    /** The barrier for {@code [offset, offset+length)}: its pending words take their current values. */
    void persist(long offset, long length) {
        if (length == 0) {
            return;
        }
        NavigableMap<Long, Pending> covered = pending.subMap(offset >>> 3, true, (offset + length - 1) >>> 3, true);
        for (Map.Entry<Long, Pending> e : covered.entrySet()) {
            persisted.putLong(e.getKey() << 3, e.getValue().current);
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
}
