package nvdimm.lockdep.internal;

import nvdimm.lockdep.LockClass;

/** What the validator needs from any lock it tracks. The held stack records these instances. */
interface Tracked {
    Validator validator();

    LockClass lockClass();

    int subclass();

    /** The registered class, or {@code null} if the class is not (or no longer) registered. */
    ClassRecord record();

    boolean heldByCurrentThread();
}
