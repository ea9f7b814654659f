package nvdimm.bus;

import java.util.Optional;

/**
 * The kinds of device in the tree: Linux's devtype name for each, the prefix of its device names and
 * the nesting level of its device lock.
 *
 * <p>Device locks are taken downward only, from a lower level to a higher one: bus (0), then DIMM or
 * region (2), then namespace (3), then claim or BTT (4). Level 1 is the bus command pin: a command in
 * flight holds its bus's active count (validated as the wait point {@code nd_bus.command_idle}), never
 * a lock. A child's level is always above its parent's.
 */
public enum DeviceType {
    /** A bus, one per provider: {@code ndbusN}. Created by the core when a provider is bound. */
    BUS("nvdimm_bus", "ndbus", 0, true),
    /** A DIMM: {@code nmemN}, numbered across all buses. Created by the core from the provider's descriptors. */
    DIMM("nvdimm", "nmem", 2, true),
    /** A persistent-memory region: {@code regionN}, numbered across all buses. Created by the core. */
    REGION("nd_pmem", "region", 2, true),
    /** A label-less namespace: {@code namespaceR.N}, a child of region R, created by a region driver. */
    NAMESPACE_IO("nd_namespace_io", "namespace", 3, false),
    /** A labeled pmem namespace: {@code namespaceR.N}, a child of region R, created by a region driver. */
    NAMESPACE_PMEM("nd_namespace_pmem", "namespace", 3, false),
    /** A BTT sector device: {@code bttR.N}, a child of region R or of one of its namespaces. */
    BTT("nd_btt", "btt", 4, false);

    /** Lock level of the bus device lock. */
    public static final int LOCK_BUS = 0;
    /** Level of the bus command pin (an active count, not a lock). */
    public static final int LOCK_COMMAND = 1;
    /** Lock level of DIMM and region device locks. */
    public static final int LOCK_REGION = 2;
    /** Lock level of namespace device locks. */
    public static final int LOCK_NAMESPACE = 3;
    /** Lock level of claim (BTT) device locks. */
    public static final int LOCK_CLAIM = 4;

    private final String devtype;
    private final String prefix;
    private final int lockLevel;
    private final boolean coreOwned;

    DeviceType(String devtype, String prefix, int lockLevel, boolean coreOwned) {
        this.devtype = devtype;
        this.prefix = prefix;
        this.lockLevel = lockLevel;
        this.coreOwned = coreOwned;
    }

    /** Linux's device type name ({@code DEVTYPE} in a uevent), e.g. {@code "nd_pmem"}. */
    public String devtype() {
        return devtype;
    }

    /** What names of this type start with, e.g. {@code "region"}. */
    public String namePrefix() {
        return prefix;
    }

    /** The nesting level of this type's device lock. */
    public int lockLevel() {
        return lockLevel;
    }

    /**
     * Whether the core creates and removes devices of this type itself (buses, DIMMs, regions come and
     * go with their provider); drivers create the others through {@link DeviceCore#register}.
     */
    public boolean coreOwned() {
        return coreOwned;
    }

    /** The type with the given Linux devtype name. */
    public static Optional<DeviceType> ofDevtype(String devtype) {
        for (DeviceType t : values()) {
            if (t.devtype.equals(devtype)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
