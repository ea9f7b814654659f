package nvdimm.bus.internal.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.spi.BusProvider;
import nvdimm.lockdep.Lockdep;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The device core as a DS component: binds every {@link BusProvider} (a bus each) and every
 * {@link Driver}, posts device events through Event Admin, and registers itself as {@link DeviceCore}.
 *
 * <p>SCR calls the bind and unbind methods on its own threads, possibly at the same time. A provider's
 * bus comes up on SCR's thread but cheaply (its DIMMs and regions are probed on the core's threads); a
 * leaving provider's bus is taken down before unbind returns, after its commands drained (however long
 * that takes; a warning every {@code drain.timeout.ms}). Every method checks on its way out that no
 * validated lock is left held.
 */
@Component(service = DeviceCore.class, immediate = true, configurationPid = BusCore.PID)
@Designate(ocd = BusCore.Config.class)
public final class BusCore implements DeviceCore {
    public static final String PID = "nvdimm.bus";

    @ObjectClassDefinition(name = "nvdimm device core", description = "Probe and teardown threads, bus drain warnings")
    public @interface Config {
        @AttributeDefinition(name = "Probe threads", description = "Threads that run probes (nvdimm-probe-N)")
        int probe_threads() default 2;

        @AttributeDefinition(name = "Teardown threads",
                description = "Threads that run asynchronous unregistrations (nvdimm-teardown-N), apart from the"
                        + " probe threads")
        int teardown_threads() default CoreConfig.DEFAULT_TEARDOWN_THREADS;

        @AttributeDefinition(name = "Drain warning interval (ms)",
                description = "How often a bus removal waiting for commands in flight logs a warning (it waits"
                        + " for them however long they take)")
        long drain_timeout_ms() default 30_000;
    }

    private final Lockdep lockdep;
    private final OsgiPublisher publisher;
    private final CoreImpl core;

    @Activate
    public BusCore(@Reference(name = "lockdep") Lockdep lockdep, BundleContext context, Config config) {
        this.lockdep = lockdep;
        this.publisher = new OsgiPublisher(context);
        this.core = new CoreImpl(lockdep, publisher,
                new CoreConfig(config.probe_threads(), config.teardown_threads(),
                        Duration.ofMillis(config.drain_timeout_ms())));
    }

    @Deactivate
    void deactivate() {
        try {
            core.close();
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(BusProvider provider) {
        try {
            core.addProvider(provider);
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    void unbindProvider(BusProvider provider) {
        try {
            core.removeProvider(provider);
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(Driver driver) {
        try {
            core.addDriver(driver);
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    void unbindDriver(Driver driver) {
        try {
            core.removeDriver(driver);
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin admin) {
        publisher.eventAdmin.set(admin);
    }

    /** A greedy replacement is bound before the old one is unbound: forget only the one leaving. */
    void unbindEventAdmin(EventAdmin admin) {
        publisher.eventAdmin.compareAndSet(admin, null);
    }

    @Override
    public Optional<Device> find(String name) {
        return core.find(name);
    }

    @Override
    public <T extends Device> Optional<T> find(String name, Class<T> type) {
        return core.find(name, type);
    }

    @Override
    public List<Device> devices() {
        return core.devices();
    }

    @Override
    public List<NvdimmBus> buses() {
        return core.buses();
    }

    @Override
    public Device register(Device parent, DeviceType type) {
        return core.register(parent, type);
    }

    @Override
    public Device register(Device parent, DeviceType type, String name) {
        return core.register(parent, type, name);
    }

    @Override
    public void unregister(Device device) {
        core.unregister(device);
    }

    @Override
    public CompletionStage<Void> unregisterAsync(Device device) {
        return core.unregisterAsync(device);
    }

    @Override
    public void enable(Device device) {
        core.enable(device);
    }

    @Override
    public void disable(Device device) {
        core.disable(device);
    }

    @Override
    public void notifyChange(Device device) {
        core.notifyChange(device);
    }

    @Override
    public void waitProbeIdle() {
        core.waitProbeIdle();
    }

    @Override
    public boolean waitProbeIdle(Duration timeout) {
        return core.waitProbeIdle(timeout);
    }

    @Override
    public Locked lock(Device device) {
        return core.lock(device);
    }
}
