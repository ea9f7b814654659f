package nvdimm.bus.internal.core;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The core's lock classes and wait points. Device locks share one class, with the type's nesting level
 * as the subclass (as Linux's {@code lockdep_mutex} of 2019): bus 0, DIMM and region 2, namespace 3,
 * claim 4. The other mutexes are leaves, held only briefly around their own data.
 */
public final class LockClasses {
    /** Per-device lock, subclass = {@link nvdimm.bus.DeviceType#lockLevel()}. */
    public static final LockClass DEVICE_LOCK = LockClass.of("nd.device_lock");
    /** The list of buses (Linux's {@code nvdimm_bus_list_mutex}); never held across a call out. */
    public static final LockClass BUS_LIST = LockClass.of("nd_bus.list");
    /**
     * A bus's reconfiguration lock (Linux's {@code nvdimm_bus_lock}): taken before any device lock, and
     * released while its holder waits for the bus's probes.
     */
    public static final LockClass BUS_RECONFIG = LockClass.of("nd_bus.reconfig");
    /** The name table, id pools and provider map. Leaf. */
    public static final LockClass DEVICES = LockClass.of("nd_core.devices");
    /** A count of queued and running probes (the core's, and each bus's). Leaf. */
    public static final LockClass PROBE_COUNT = LockClass.of("nd_bus.probe_count");
    /** The event queue and its counts. Leaf: queuing happens under device locks. */
    public static final LockClass EVENTS = LockClass.of("nd_core.events");
    /** Wait point: posting events is its work; a drain waiting for another thread's posting waits on it. */
    public static final LockClass EVENTS_POSTED = LockClass.of("nd_core.events_posted");
    /** A bus's command active count and its closed flag. Leaf. */
    public static final LockClass COMMAND_GATE = LockClass.of("nd_bus.command_gate");
    /** Wait point: probes are its work, {@code waitProbeIdle()} waits on it. */
    public static final LockClass PROBE_IDLE = LockClass.of("nd_bus.probe_idle");
    /**
     * Wait point: publishing a device's services is its work; an unpublisher waiting for a publication
     * or a withdrawal in flight on another thread waits on it.
     */
    public static final LockClass PUBLICATION = LockClass.of("nd_device.publication");
    /** Wait point (level 1, the command pin): commands are its work, bus removal waits on it. */
    public static final LockClass COMMAND_IDLE = LockClass.of("nd_bus.command_idle");
    /**
     * Wait points per device lock level (none at level 1, where no device sits): a device teardown is
     * work of its level's class, and waiting for someone else's teardown waits on it. A parent (lower
     * level) may wait for a child's teardown.
     */
    private static final LockClass[] TEARDOWN = {
        LockClass.of("nd_device.teardown.L0"), null, LockClass.of("nd_device.teardown.L2"),
        LockClass.of("nd_device.teardown.L3"), LockClass.of("nd_device.teardown.L4"),
    };

    private LockClasses() {
    }

    /** The teardown wait point class of a device lock level, or null for level 1. */
    static LockClass teardown(int level) {
        return TEARDOWN[level];
    }

    static int levels() {
        return TEARDOWN.length;
    }

    /** Registers every class of the core with {@code lockdep}. */
    public static void register(Lockdep lockdep) {
        lockdep.register(DEVICE_LOCK, BUS_RECONFIG, BUS_LIST, DEVICES, PROBE_COUNT, COMMAND_GATE, PROBE_IDLE,
                COMMAND_IDLE, PUBLICATION, EVENTS, EVENTS_POSTED);
        for (LockClass c : TEARDOWN) {
            if (c != null) {
                lockdep.register(c);
            }
        }
    }
}
