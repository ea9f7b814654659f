package nvdimm.namespace.internal;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.spi.ModeProvider;

/**
 * The namespace driver ({@code nd_pmem}, Linux's pmem.c with claim.c): binds io and pmem namespace
 * devices the registry knows and that have capacity (not a seed, not a set that does not assemble),
 * publishes the {@link Namespace} through the core and registers the raw disk itself while unclaimed.
 * The probe runs under the namespace's device lock and only builds the binding; the mode detection
 * (media reads) and the disk's registration happen in {@link #services}, without it. The disk is
 * withdrawn when the device's own service goes ({@link #deviceWithdrawn}), before the driver's remove.
 */
final class NamespaceDriver implements Driver {
    private static final System.Logger LOG = System.getLogger("nvdimm.namespace");
    private final NamespaceRegistry registry;
    private final ModeProviders modes;
    private final DiskPublisher publisher;
    private final Lockdep lockdep;

    NamespaceDriver(NamespaceRegistry registry, ModeProviders modes, DiskPublisher publisher, Lockdep lockdep) {
        this.registry = registry;
        this.modes = modes;
        this.publisher = publisher;
        this.lockdep = lockdep;
    }

    @Override
    public String name() {
        return Namespace.DRIVER;
    }

    @Override
    public boolean match(Device device) {
        if (device.type() != DeviceType.NAMESPACE_IO && device.type() != DeviceType.NAMESPACE_PMEM) {
            return false;
        }
        Optional<NamespaceEntry> e = registry.entryOf(device);
        return e.isPresent() && e.get().config.bindable();
    }

    @Override
    public void probe(Device device) {
        NamespaceEntry e = registry.entryOf(device).orElseThrow(() -> new NvdimmException(Errno.ENODEV,
                device.name() + ": not a namespace of an enabled region"));
        if (!e.config.bindable()) {
            throw new NvdimmException(Errno.ENODEV, device.name() + ": "
                    + e.config.problem().orElse("an idle namespace of size 0"));
        }
        if (!e.region.region.isActive()) {
            throw new NvdimmException(Errno.ENXIO, device.name() + ": its region " + e.region.region.name()
                    + " is disabled");
        }
        NamespaceImpl ns = new NamespaceImpl(e, device, e.region.region, publisher, lockdep);
        device.setDriverData(ns);
        e.bound = ns;
    }

    @Override
    public void remove(Device device) {
        NamespaceImpl ns = device.driverData(NamespaceImpl.class).orElse(null);
        if (ns == null) {
            return;
        }
        ns.deactivate();
        registry.entryOf(device).ifPresent(e -> {
            if (e.bound == ns) {
                e.bound = null;
            }
        });
        if (ns.diskPublished()) { // a publisher that does not report withdrawals: never under this lock
            LOG.log(Level.WARNING, device.name() + ": raw disk still registered at remove; withdrawing it apart");
            CompletableFuture.runAsync(ns::withdrawForGood);
        }
    }

    @Override
    public Map<Class<?>, Object> services(Device device) {
        NamespaceImpl ns = device.driverData(NamespaceImpl.class).orElse(null);
        if (ns == null || !ns.isActive()) {
            return Map.of();
        }
        registry.entryOf(device).ifPresent(e -> detect(e, ns));
        ns.publishDisk();
        return Map.of(Namespace.class, ns);
    }

    /** A mode provider arrived: every bound namespace is looked at again (its metadata may be that mode's). */
    void redetect() {
        for (NamespaceEntry e : registry.live()) {
            NamespaceImpl ns = e.bound;
            if (ns != null && ns.isActive()) {
                detect(e, ns);
            }
        }
    }

    /** What mode metadata the namespace carries, and the sector size it gives (media reads, no lock held). */
    private void detect(NamespaceEntry e, NamespaceImpl ns) {
        Optional<ModeProvider> p = modes.detect(ns);
        e.detected = p.map(ModeProvider::mode).orElse(NamespaceMode.RAW);
        if (p.isPresent()) {
            OptionalInt ss = p.get().sectorSize(ns);
            if (ss.isPresent()) {
                e.modeSectorSize = ss;
            }
        }
    }

    /** The device's services are being withdrawn (no device lock held): its raw disk goes first. */
    void deviceWithdrawn(String deviceName) {
        registry.boundNamed(deviceName).ifPresent(e -> {
            NamespaceImpl ns = e.bound;
            if (ns != null) {
                ns.withdrawForGood();
            }
        });
    }
}
