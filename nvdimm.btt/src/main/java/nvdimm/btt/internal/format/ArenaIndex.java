package nvdimm.btt.internal.format;

import java.util.List;

/**
 * Finds the arena of an external LBA ({@code lba_to_arena}): the arenas' LBAs follow each other in arena
 * order. Allocation-free: the hot path asks {@link #arenaOf} and {@link #premap}.
 */
public final class ArenaIndex {

    private final long[] firstLba;
    private final long total;

    /** Indexes the arenas' {@code external_nlba}s in order. */
    public ArenaIndex(List<ArenaGeometry> arenas) {
        firstLba = new long[arenas.size()];
        long next = 0;
        for (int i = 0; i < firstLba.length; i++) {
            firstLba[i] = next;
            next += arenas.get(i).externalNlba();
        }
        total = next;
    }

    /** Sectors over all arenas. */
    public long externalNlba() {
        return total;
    }

    /** The index of the arena holding {@code lba}, or -1 when it is past the last one (Linux: EIO). */
    public int arenaOf(long lba) {
        if (lba < 0 || lba >= total) {
            return -1;
        }
        for (int i = firstLba.length - 1; i > 0; i--) {
            if (lba >= firstLba[i]) {
                return i;
            }
        }
        return 0;
    }

    /** The pre-map LBA of {@code lba} within arena {@code arena} ({@link #arenaOf}). */
    public long premap(long lba, int arena) {
        return lba - firstLba[arena];
    }

    /** The first external LBA of arena {@code arena} ({@code external_lba_start}). */
    public long firstLba(int arena) {
        return firstLba[arena];
    }
}
