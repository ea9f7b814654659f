package nvdimm.namespace.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Driver;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;
import nvdimm.namespace.internal.labels.RegionLabelReader;
import nvdimm.namespace.spi.ModeProvider;
import nvdimm.region.Extent;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;

/**
 * The namespace core without OSGi: the namespace provider of the regions, the namespace driver and the
 * management service over one registry. {@link NamespaceComponent} adapts it to Declarative Services;
 * tests build it over a device core directly.
 */
public class NamespaceCore implements NamespaceProvider, Namespaces {
    final NamespaceRegistry registry;
    final ModeProviders modes = new ModeProviders();
    final NamespaceDriver driver;
    final NamespaceOps ops;

    NamespaceCore(Lockdep lockdep, DeviceCore core, RegionLabelReader reader, DiskPublisher publisher) {
        Objects.requireNonNull(lockdep, "lockdep");
        NamespaceLocks.register(lockdep);
        this.registry = new NamespaceRegistry(Objects.requireNonNull(reader, "reader"));
        this.driver = new NamespaceDriver(registry, modes, Objects.requireNonNull(publisher, "publisher"), lockdep);
        this.ops = new NamespaceOps(registry, modes, Objects.requireNonNull(core, "core"), lockdep);
    }

    /** The namespace driver, to register with the device core. */
    Driver driver() {
        return driver;
    }

    /** A mode provider arrived (no lock held): namespaces bound already may carry its metadata. */
    void addModeProvider(ModeProvider p) {
        modes.add(p);
        driver.redetect();
    }

    void removeModeProvider(ModeProvider p) {
        modes.remove(p);
    }

    /** A namespace device's own service is being withdrawn (no device lock held): its raw disk goes first. */
    void deviceWithdrawn(String device) {
        driver.deviceWithdrawn(device);
    }

    /** Whether the namespace device's raw disk is registered now (for listings and tests). */
    boolean diskPublished(Device device) {
        return device.driverData(NamespaceImpl.class).map(NamespaceImpl::diskPublished).orElse(false);
    }

    // ------------------------------------------------------------------ NamespaceProvider

    @Override
    public void enumerate(Region region) {
        registry.enumerate(region);
    }

    @Override
    public List<Extent> allocations(Region region) {
        return registry.allocations(region);
    }

    // ------------------------------------------------------------------ Namespaces

    @Override
    public List<NamespaceInfo> list() {
        return ops.list();
    }

    @Override
    public Optional<NamespaceInfo> info(String name) {
        return ops.info(name);
    }

    @Override
    public Optional<Namespace> find(String name) {
        return ops.find(name);
    }

    @Override
    public NamespaceInfo create(NamespaceSpec spec) {
        return ops.create(spec);
    }

    @Override
    public NamespaceInfo reconfigure(String name, NamespaceSpec spec, boolean force) {
        return ops.reconfigure(name, spec, force);
    }

    @Override
    public void destroy(String name, boolean force) {
        ops.destroy(name, force);
    }

    @Override
    public void enable(String name) {
        ops.enable(name);
    }

    @Override
    public void disable(String name) {
        ops.disable(name);
    }
}
