package nvdimm.namespace.internal;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The lock classes of the namespace core. Order: {@link #OPS} → the bus's reconfiguration lock → device
 * locks; {@link #DISK} is taken with no device lock (it is held across the raw disk's service
 * registration, which a device lock forbids) and nothing but the framework is called under it.
 */
final class NamespaceLocks {
    /**
     * One per bus: serialises namespace creation, reconfiguration and destruction over a whole operation.
     * The bus's reconfiguration lock alone cannot: a label write waits for the bus's probes with it
     * released, so two creations could pick the same free extent.
     */
    static final LockClass OPS = LockClass.of("nd_namespace.ops");
    /** One per namespace binding: its claim and the publication of its raw disk. */
    static final LockClass DISK = LockClass.of("nd_pmem.disk");

    private NamespaceLocks() {
    }

    static void register(Lockdep lockdep) {
        lockdep.register(OPS, DISK);
    }
}
