package nvdimm.namespace.internal;

import java.util.OptionalInt;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceState;
import nvdimm.namespace.NamespaceMode;

/**
 * One namespace device of a region as the core knows it: its configuration (from the labels), its
 * device once registered, and its binding while the namespace driver has it. Fields are written under
 * the bus's namespace operation lock or by the namespace driver, and read without locks.
 */
final class NamespaceEntry {
    final String name;
    final int index;
    final RegionNamespaces region;
    volatile NamespaceConfig config;
    volatile Device device;
    volatile NamespaceImpl bound;
    /** The mode a mode provider detected when it was last enabled (label-less and v1.1 namespaces). */
    volatile NamespaceMode detected = NamespaceMode.RAW;
    /** The sector size its mode was formatted with, when known. */
    volatile OptionalInt modeSectorSize = OptionalInt.empty();

    NamespaceEntry(RegionNamespaces region, int index, NamespaceConfig config) {
        this.region = region;
        this.index = index;
        this.name = "namespace" + region.region.id() + "." + index;
        this.config = config;
    }

    boolean isLive() {
        Device d = device;
        return d != null && d.state() != DeviceState.DEAD;
    }

    boolean isEnabled() {
        Device d = device;
        return d != null && d.isEnabled();
    }

    /** Linux's {@code nvdimm_namespace_disk_name}: {@code pmemR} for index 0 and io namespaces, else {@code pmemR.N}. */
    String diskName() {
        return index == 0 ? "pmem" + region.region.id() : "pmem" + region.region.id() + "." + index;
    }

    /** The mode it is in now. */
    NamespaceMode mode() {
        NamespaceImpl b = bound;
        if (b != null && b.claimedBy().isPresent()) {
            return NamespaceMode.SECTOR;
        }
        NamespaceMode byClass = config.claimClass().mode();
        return byClass != NamespaceMode.RAW ? byClass : detected;
    }
}
