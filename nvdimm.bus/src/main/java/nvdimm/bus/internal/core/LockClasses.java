package nvdimm.bus.internal.core;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;

/**
 * The core's lock classes and wait points, in the order of DESIGN.md's lock table:
 * <ol>
 * <li>a bus's reconfiguration lock ({@link #BUS_RECONFIG}, Linux's {@code nvdimm_bus_lock}), before any
 * device lock (the core refuses it under one);</li>
 * <li>device locks, one class with the type's nesting level as the subclass (as Linux's
 * {@code lockdep_mutex} of 2019): bus 0, DIMM and region 2, namespace 3, claim/BTT 4, taken downward
 * only. Level 1 is the bus command pin, an active count validated as {@link #COMMAND_IDLE};</li>
 * <li>the core's own mutexes ({@link #BUS_LIST}, {@link #DEVICES}, the counts, {@link #EVENTS}): leaves,
 * held only around their own data, nothing called or waited for under them.</li>
 * </ol>
 * The lane → map → medium leaves of the table belong to regions and BTTs, not to the core. Waits (probes
 * idle, a teardown, commands drained, a publication settling, events posted) are wait points; none is
 * entered with a device lock held: the core refuses it with EDEADLK.
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
