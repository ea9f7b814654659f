package nvdimm.virtio.internal.queue;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The lock classes of the guest queue, in this order: {@link #PMEM} (Linux's {@code pmem_lock}, held
 * across add, kick, the interrupt handler and the drain) → {@link #RING} (the ring's own state, which
 * the device's thread also takes) and {@link #POOL} (the request free list). Nothing is taken under
 * {@link #RING} or {@link #POOL}.
 */
public final class QueueLocks {
    static final LockClass PMEM = LockClass.of("virtio_pmem.pmem_lock");
    static final LockClass RING = LockClass.of("virtio_pmem.vring");
    static final LockClass POOL = LockClass.of("virtio_pmem.request_pool");

    private QueueLocks() {
    }

    /** Registers the classes with a validator; the component (or a test) does it once. */
    public static void register(Lockdep lockdep) {
        lockdep.register(PMEM, RING, POOL);
    }
}
