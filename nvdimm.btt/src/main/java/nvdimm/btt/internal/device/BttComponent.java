package nvdimm.btt.internal.device;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.check.BttCheck;
import nvdimm.btt.internal.check.ImageCheck;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Driver;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.Namespaces;
import nvdimm.namespace.spi.ModeProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The BTT bundle's component: the {@code nd_btt} driver and sector mode ({@link BttDevices}), and a tracker of
 * {@link Namespace} services that attaches a BTT device to each namespace carrying a BTT as it is published
 * (after a restart, an enable, an attached image). Stopping it takes every BTT device down, children of their
 * namespaces, before the namespaces go.
 */
@Component(service = {Driver.class, ModeProvider.class, BttChecker.class}, immediate = true)
public class BttComponent extends DelegatingBtt implements BttChecker {
    private static final System.Logger LOG = System.getLogger("nvdimm.btt");
    private final ServiceTracker<Namespace, Namespace> tracker;
    private final ServiceLookup<DeviceCore> core;
    private final ServiceLookup<Namespaces> namespaces;
    private final NamespaceCheck checks;

    /** The device core and the namespace service are looked up when needed, not referenced (see {@link ServiceLookup}). */
    @Activate
    public BttComponent(@Reference(name = "lockdep") Lockdep lockdep, BundleContext context) {
        this(lockdep, context, new ServiceLookup<>(context, DeviceCore.class));
    }

    private BttComponent(Lockdep lockdep, BundleContext context, ServiceLookup<DeviceCore> core) {
        super(new BttDevices(core, lockdep));
        this.core = core;
        this.namespaces = new ServiceLookup<>(context, Namespaces.class);
        tracker = new ServiceTracker<>(context, Namespace.class, new ServiceTrackerCustomizer<>() {
            @Override
            public Namespace addingService(ServiceReference<Namespace> ref) {
                Namespace ns = context.getService(ref);
                if (ns != null) {
                    try {
                        devices.namespaceAdded(ns);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, ns.name() + ": BTT attach failed", e);
                    }
                }
                return ns;
            }

            @Override
            public void modifiedService(ServiceReference<Namespace> ref, Namespace ns) {
            }

            @Override
            public void removedService(ServiceReference<Namespace> ref, Namespace ns) {
                context.ungetService(ref); // the core takes the BTT device down with its namespace
            }
        });
        tracker.open();
        checks = new NamespaceCheck(devices, namespaces, this::activeNamespace);
    }

    /** The enabled namespace called {@code name}, from the tracker. */
    private Optional<Namespace> activeNamespace(String name) {
        for (Namespace ns : tracker.getTracked().values()) {
            if (ns.name().equals(name) && ns.isActive()) {
                return Optional.of(ns);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ BttChecker

    @Override
    public CheckReport check(String target, Medium namespace, Optional<UUID> namespaceUuid, CheckOptions options,
            Progress progress) {
        return BttCheck.check(target, namespace, namespaceUuid, options, progress);
    }

    @Override
    public CheckReport checkNamespace(String namespace, CheckOptions options, boolean force, Progress progress) {
        return checks.check(namespace, options, force, progress);
    }

    @Override
    public List<CheckReport> checkImage(String target, Medium pmem, Optional<Medium> labelArea, CheckOptions options,
            Progress progress) {
        return ImageCheck.checkImage(target, pmem, labelArea, options, progress);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        devices.detachAll();
        core.close();
        namespaces.close();
    }
}
