package nvdimm.lockdep.internal;

/**
 * How a lock is acquired, as bits of an {@code int}. The bits are part of the chain key, since each
 * changes what validation decides.
 */
final class Acquire {
    /** Held exclusively: a mutex, a write lock, a shadow lock, a wait. */
    static final int EXCLUSIVE = 0;
    /** A non-recursive reader (lockdep's {@code r}): it can wait behind a queued writer. */
    static final int READ = 1;
    /** A recursive reader (lockdep's {@code R}): only a writer holding the lock blocks it. */
    static final int RECURSIVE_READ = 2;
    static final int MODE = 3;

    /** Cannot block (a trylock, a re-acquisition of an instance already held, a work): no edge of its own. */
    static final int NO_EDGE = 1 << 2;
    /** The same instance is already held by this thread. */
    static final int REENTRANT = 1 << 3;
    /** A write lock requested while this thread reads the same instance: the upgrade deadlocks. */
    static final int UPGRADE = 1 << 4;
    /** A wait point's wait: validated like an acquisition, never held. */
    static final int WAIT = 1 << 5;
    /** A wait point's work: held shared while the work runs. */
    static final int WORK = 1 << 6;
    /** A shadow lock, recorded after its real lock was taken. */
    static final int SHADOW = 1 << 7;
    static final int TRYLOCK = 1 << 8;

    private static final int KIND_BITS = 9;
    private static final int SUBCLASS_BITS = 3;

    /** The chain element id of a lock whose class is not registered. Serials start at 1, so it is unique. */
    static final long UNREGISTERED_ID = 0;

    private Acquire() {
    }

    /** The id that one held lock contributes to the chain key. */
    static long id(long serial, int subclass, int kind) {
        return serial << (SUBCLASS_BITS + KIND_BITS) | (long) subclass << KIND_BITS | kind;
    }

    static boolean shared(int kind) {
        return (kind & MODE) != EXCLUSIVE;
    }

    /** The mode as {@link nvdimm.lockdep.HeldLock#mode()} describes it. */
    static String describe(int kind) {
        String mode;
        if ((kind & WORK) != 0) {
            mode = "work";
        } else if ((kind & WAIT) != 0) {
            mode = "wait";
        } else if ((kind & SHADOW) != 0) {
            mode = "shadow";
        } else {
            mode = switch (kind & MODE) {
                case READ -> "read";
                case RECURSIVE_READ -> "recursive read";
                default -> "write";
            };
        }
        if ((kind & TRYLOCK) != 0) {
            mode += " trylock";
        }
        if ((kind & REENTRANT) != 0) {
            mode += " reentrant";
        }
        return mode;
    }
}
