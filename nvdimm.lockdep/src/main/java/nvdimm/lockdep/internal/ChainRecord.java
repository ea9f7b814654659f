package nvdimm.lockdep.internal;

import nvdimm.lockdep.LockdepReport;

/**
 * A validated held-lock sequence, identified by its chain key, and the facts about its last (top) lock
 * that the held stack needs. Immutable once published in the chain cache, but for {@link #live}.
 */
final class ChainRecord {
    /** The key of the sequence below the top lock. */
    final long prev;
    final long key;
    /** The top lock's chain element id. */
    final long id;
    /** The top lock's class; {@code null} if it was not registered. */
    final ClassRecord top;
    final int subclass;
    final int kind;
    /** Every registered class in the sequence, so a release can drop the chains that mention it. */
    final ClassRecord[] classes;
    /** Where the sequence was first seen; the held stack shows it as the top lock's acquisition site. */
    final Site site;
    /**
     * Validation found a problem; such chains are dropped on any release so they are checked again, and
     * in THROW mode a cached one throws (it was cached in WARN mode).
     */
    final boolean flagged;
    /** The first problem found, for a flagged chain; {@code null} otherwise. */
    final LockdepReport report;
    /** The top lock's class is atomic. */
    final boolean atomic;
    /**
     * In the chain cache: set when inserted, cleared when purged (under the graph lock). A lock may keep
     * the last chain it was validated by and reuse it, without the cache lookup, while it is live and its
     * {@link #prev} and {@link #kind} match ({@link ValidatedMutex}). Like a reader of an older cache
     * table, a thread may see it live a little after a purge.
     */
    boolean live;

    ChainRecord(long prev, long id, ClassRecord top, int subclass, int kind, ClassRecord[] classes, Site site,
            LockdepReport report) {
        this.prev = prev;
        this.key = ChainKeys.next(prev, id);
        this.id = id;
        this.top = top;
        this.subclass = subclass;
        this.kind = kind;
        this.classes = classes;
        this.site = site;
        this.flagged = report != null;
        this.report = report;
        this.atomic = top != null && top.atomic;
    }

    boolean shared() {
        return Acquire.shared(kind);
    }

    boolean mentionsReleased() {
        for (ClassRecord c : classes) {
            if (c.released) {
                return true;
            }
        }
        return false;
    }
}
