package nvdimm.virtio.internal.host;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/** The host backend's lock class: a leaf, nothing else is taken or called while it is held. */
public final class HostLocks {
    /** Guards a host's pending requests, its closed flag and its timed fault waits. */
    public static final LockClass HOST = LockClass.of("virtio_pmem.host");

    private HostLocks() {
    }

    public static void register(Lockdep lockdep) {
        lockdep.register(HOST);
    }
}
