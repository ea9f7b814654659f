package nvdimm.btt.internal.engine;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The engine's lock classes, at the leaf end of DESIGN.md's order: lane → map lock → medium. A map lock is
 * taken under a lane and nothing is taken under it; the error lock (clearing a bad free block) is taken under
 * a lane, never with a map lock.
 */
public final class BttLocks {
    /** An arena's map locks ({@code arena->map_locks}): one per lane, hashed by the map entry's cache line. */
    public static final LockClass MAP = LockClass.of("btt.map_lock");
    /** An arena's error lock ({@code arena->err_lock}): serialises clearing bad free blocks. */
    public static final LockClass ERR = LockClass.of("btt.err_lock");

    private BttLocks() {
    }

    /** Registers the classes with a validator. */
    public static void register(Lockdep lockdep) {
        lockdep.register(MAP, ERR);
    }
}
