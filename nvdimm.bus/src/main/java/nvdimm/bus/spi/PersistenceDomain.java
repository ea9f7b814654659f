package nvdimm.bus.spi;

/** How far a store must travel to be safe from power loss (sysfs {@code persistence_domain}). */
public enum PersistenceDomain {
    /** CPU caches are flushed on power loss (eADR): a store is persistent once visible. */
    CPU_CACHE("cpu_cache"),
    /** Stores are persistent once they reach the memory controller (ADR): flush caches first. */
    MEMORY_CONTROLLER("memory_controller"),
    /** Nothing is promised without an explicit flush of the region (virtio-pmem). */
    UNKNOWN("unknown");

    private final String sysfs;

    PersistenceDomain(String sysfs) {
        this.sysfs = sysfs;
    }

    /** The value sysfs and ndctl's JSON show. */
    public String sysfs() {
        return sysfs;
    }
}
