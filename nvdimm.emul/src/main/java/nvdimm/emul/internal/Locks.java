package nvdimm.emul.internal;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The lock classes of this bundle. All are leaf locks: none is held while another lock is taken,
 * while calling into the framework, or while a medium is synced.
 */
final class Locks {

    /** The names, files and address windows of the running emulated buses. */
    static final LockClass DIRECTORY = LockClass.of("emul.directory");
    /** One DIMM's label storage area: a label read never sees half of a label write. */
    static final LockClass LABEL_AREA = LockClass.of("emul.label_area");
    /** One bus's poison list and scrub state. */
    static final LockClass ARS = LockClass.of("emul.ars");
    /** One bus's injected faults. */
    static final LockClass FAULTS = LockClass.of("emul.faults");
    /** A wait point: closing a region's medium waits for the accesses in flight through it. */
    static final LockClass MEDIUM_CLOSE = LockClass.of("emul.medium_close");

    private Locks() {
    }

    /** Registers every class with {@code lockdep}; registering again is harmless. */
    static Lockdep register(Lockdep lockdep) {
        lockdep.register(DIRECTORY, LABEL_AREA, ARS, FAULTS, MEDIUM_CLOSE);
        return lockdep;
    }
}
