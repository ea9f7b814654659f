package nvdimm.region.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.Badblocks;
import nvdimm.region.Extent;
import nvdimm.region.InterleaveSetCookies;
import nvdimm.region.LanePool;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;
import nvdimm.region.RegionMapping;

/**
 * One binding of a region device to the region driver. Made by the probe (under the device lock),
 * completed by {@link #populate} (badblocks, without the lock, before namespaces exist), closed by the
 * driver's remove.
 */
final class RegionBinding implements Region {
    private final RegionDevice device;
    private final RegionDescriptor descriptor;
    private final List<RegionMapping> mappings;
    private final InterleaveSetCookies cookies;
    private final MutexLanePool lanes;
    private final RegionBadblocks badblocks;
    private final RegionFlush flush;
    private final Lockdep lockdep;
    private final DeviceCore core;
    private final Supplier<NamespaceProvider> namespaceProvider;

    private volatile boolean populated;
    private volatile boolean active = true;
    /** The namespace provider that enumerated this binding's namespaces, if any. */
    final AtomicReference<NamespaceProvider> enumeratedBy = new AtomicReference<>();

    RegionBinding(RegionDevice device, List<RegionMapping> mappings, InterleaveSetCookies cookies, MutexLanePool lanes,
            Lockdep lockdep, DeviceCore core, Supplier<NamespaceProvider> namespaceProvider) {
        this.device = Objects.requireNonNull(device, "device");
        this.descriptor = device.descriptor();
        this.mappings = List.copyOf(mappings);
        this.cookies = cookies;
        this.lanes = Objects.requireNonNull(lanes, "lanes");
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        this.core = Objects.requireNonNull(core, "core");
        this.namespaceProvider = Objects.requireNonNull(namespaceProvider, "namespaceProvider");
        this.badblocks = new RegionBadblocks(device.name(), lockdep);
        this.flush = new RegionFlush(device.name(), descriptor.medium(), descriptor.flushHandler(),
                descriptor.persistenceDomain(), lockdep);
    }

    // ------------------------------------------------------------------ life

    /** Fills the badblocks from scrub records and makes them readable; once. */
    void populate(List<ErrorRecord> records) {
        badblocks.addAll(RegionBadblocks.toRegionSectors(records, address(), size()));
        populated = true;
    }

    boolean isPopulated() {
        return populated;
    }

    /** The driver's remove: operations fail with ENXIO from now on. */
    void close() {
        active = false;
        lanes.close();
    }

    private void ensureActive(String what) {
        if (!active) {
            throw new NvdimmException(Errno.ENXIO, name() + ": " + what + ": the region is disabled");
        }
    }

    // ------------------------------------------------------------------ description

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public int id() {
        return device.id();
    }

    @Override
    public RegionDevice device() {
        return device;
    }

    @Override
    public NvdimmBus bus() {
        return device.bus();
    }

    @Override
    public long address() {
        return descriptor.address();
    }

    @Override
    public long size() {
        return descriptor.size();
    }

    @Override
    public long availableSize() {
        long used = 0;
        for (Extent e : used()) {
            used += e.length();
        }
        return size() - used;
    }

    @Override
    public long maxAvailableExtent() {
        long max = 0;
        long at = 0;
        for (Extent e : used()) {
            max = Math.max(max, e.offset() - at);
            at = e.end();
        }
        return Math.max(max, size() - at);
    }

    /** The namespace provider's allocations clipped to the region, sorted and merged. */
    private List<Extent> used() {
        NamespaceProvider p = namespaceProvider.get();
        return p == null ? List.of() : Extent.union(p.allocations(this), size());
    }

    @Override
    public long align() {
        return descriptor.align();
    }

    @Override
    public PersistenceDomain persistenceDomain() {
        return descriptor.persistenceDomain();
    }

    @Override
    public int interleaveWays() {
        return descriptor.interleaveWays();
    }

    @Override
    public long interleaveGranularity() {
        return descriptor.interleaveGranularity();
    }

    @Override
    public List<RegionMapping> mappings() {
        return mappings;
    }

    @Override
    public Optional<InterleaveSetCookies> cookies() {
        return Optional.ofNullable(cookies);
    }

    @Override
    public Medium medium() {
        return descriptor.medium();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public List<Device> namespaces() {
        List<Device> out = new ArrayList<>();
        for (Device c : device.children()) {
            if (c.type() == DeviceType.NAMESPACE_IO || c.type() == DeviceType.NAMESPACE_PMEM) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public Device register(DeviceType type) {
        Objects.requireNonNull(type, "type");
        return registerChecked(type, null);
    }

    @Override
    public Device register(DeviceType type, String name) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        return registerChecked(type, name);
    }

    /**
     * Registers under the region device lock, so that the driver's remove (which closes this binding
     * under the same lock) cannot slip in between the check and the registration.
     */
    @SuppressWarnings("try") // the lock is held for the body; the resource itself is not used
    private Device registerChecked(DeviceType type, String childName) {
        try (DeviceCore.Locked held = core.lock(device)) {
            if (!active) {
                throw new NvdimmException(Errno.ENXIO, name() + ": disabled; nothing more is registered under"
                        + " this binding");
            }
            if (!populated) {
                throw new NvdimmException(Errno.EAGAIN, name() + ": badblocks are not populated yet; namespaces"
                        + " come after them");
            }
            return childName == null ? core.register(device, type) : core.register(device, type, childName);
        }
    }

    // ------------------------------------------------------------------ badblocks

    /**
     * @throws NvdimmException EAGAIN while the region is still being probed (its badblocks are filled
     *     before any namespace is registered, so a namespace never sees this); ENXIO for a region
     *     disabled before they were filled
     */
    @Override
    public Badblocks badblocks() {
        if (!populated) {
            throw active ? new NvdimmException(Errno.EAGAIN, name() + ": badblocks are not populated yet")
                    : new NvdimmException(Errno.ENXIO, name() + ": disabled before its badblocks were populated");
        }
        return badblocks;
    }

    /** Adds a scrub's records within the region; posts CHANGE if that changed the list. */
    void addScrubRecords(List<ErrorRecord> records) {
        if (badblocks.addAll(RegionBadblocks.toRegionSectors(records, address(), size()))) {
            changed();
        }
    }

    private void changed() {
        try {
            core.notifyChange(device);
        } catch (NvdimmException e) {
            // the core is shutting down: no one is left to tell
        }
    }

    // ------------------------------------------------------------------ lanes

    @Override
    public LanePool lanes() {
        return lanes;
    }

    // ------------------------------------------------------------------ flush

    @Override
    public void flush() {
        ensureActive("flush");
        flush.flush();
    }

    @Override
    public CompletionStage<Void> flushAsync() {
        if (!active) {
            return java.util.concurrent.CompletableFuture.<Void>failedFuture(
                    new NvdimmException(Errno.ENXIO, name() + ": flush: the region is disabled")).minimalCompletionStage();
        }
        return flush.flushAsync();
    }

    @Override
    public boolean deepFlushNeeded() {
        return flush.deepFlushNeeded();
    }

    @Override
    public void deepFlush() {
        flush();
    }

    // ------------------------------------------------------------------ scrub and errors

    @Override
    public void startScrub() {
        ensureActive("start-scrub");
        bus().startScrub(address(), size());
    }

    @Override
    public List<Badblocks.Range> waitScrub(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        ensureActive("wait-scrub");
        lockdep.mightSleep();
        addScrubRecords(Scrub.awaitIdle(bus(), name(), timeout).records());
        return badblocks.ranges();
    }

    @Override
    public long clearErrors(long offset, long length) {
        checkRange("clear-errors", offset, length);
        long cleared = bus().clearError(address() + offset, length);
        if (cleared > 0) {
            forget(offset, Math.min(cleared, length));
        }
        return cleared;
    }

    @Override
    public void injectError(long offset, long length) {
        checkRange("inject-error", offset, length);
        bus().injectError(address() + offset, length);
    }

    @Override
    public void uninjectError(long offset, long length) {
        checkRange("uninject-error", offset, length);
        bus().uninjectError(address() + offset, length);
        forget(offset, length);
    }

    @Override
    public List<Badblocks.Range> injectedErrors() {
        ensureActive("inject-error --status");
        return RegionBadblocks.toRegionSectors(bus().injectedErrors(), address(), size());
    }

    /** Removes the sectors wholly inside the bytes from badblocks; posts CHANGE if any went. */
    private void forget(long offset, long length) {
        Optional<Badblocks.Range> whole = RegionBadblocks.wholeSectors(offset, length);
        if (whole.isPresent() && badblocks.clear(whole.get().sector(), whole.get().count())) {
            changed();
        }
    }

    private void checkRange(String what, long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new NvdimmException(Errno.EINVAL, name() + ": " + what + ": range " + offset + " + " + length
                    + " needs a non-negative offset and a positive length");
        }
        if (offset > size() - length) {
            throw new NvdimmException(Errno.ENXIO, name() + ": " + what + ": range " + offset + " + " + length
                    + " is beyond the region's " + size() + " bytes");
        }
        ensureActive(what);
    }

    @Override
    public String toString() {
        return "Region[" + name() + (active ? "" : ", disabled") + "]";
    }
}
