package nvdimm.btt.internal.device;

import java.lang.System.Logger.Level;

import nvdimm.bus.Driver;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.Namespace;
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
@Component(service = {Driver.class, ModeProvider.class}, immediate = true)
public class BttComponent extends DelegatingBtt {
    private static final System.Logger LOG = System.getLogger("nvdimm.btt");
    private final ServiceTracker<Namespace, Namespace> tracker;
    private final CoreLookup core;

    /** The device core is looked up when needed, not referenced (see {@link CoreLookup}). */
    @Activate
    public BttComponent(@Reference(name = "lockdep") Lockdep lockdep, BundleContext context) {
        this(lockdep, context, new CoreLookup(context));
    }

    private BttComponent(Lockdep lockdep, BundleContext context, CoreLookup core) {
        super(new BttDevices(core, lockdep));
        this.core = core;
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
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        devices.detachAll();
        core.close();
    }
}
