package nvdimm.btt.internal.device;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import nvdimm.bus.DeviceCore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The device core, looked up when first needed rather than referenced: the core binds every driver while it is
 * being built, so a driver component that needs the core built first is a cycle SCR refuses (and logs). The
 * tracker holds only the reference; the service object is taken on the first {@link #get()} and released when
 * the core goes.
 */
final class CoreLookup implements Supplier<DeviceCore>, AutoCloseable {
    private final BundleContext context;
    private final ServiceTracker<DeviceCore, ServiceReference<DeviceCore>> refs;
    private final AtomicReference<DeviceCore> taken = new AtomicReference<>();

    CoreLookup(BundleContext context) {
        this.context = context;
        this.refs = new ServiceTracker<>(context, DeviceCore.class, new ServiceTrackerCustomizer<>() {
            @Override
            public ServiceReference<DeviceCore> addingService(ServiceReference<DeviceCore> ref) {
                return ref;
            }

            @Override
            public void modifiedService(ServiceReference<DeviceCore> ref, ServiceReference<DeviceCore> same) {
            }

            @Override
            public void removedService(ServiceReference<DeviceCore> ref, ServiceReference<DeviceCore> same) {
                if (taken.getAndSet(null) != null) {
                    context.ungetService(ref);
                }
            }
        });
        refs.open();
    }

    @Override
    public DeviceCore get() {
        DeviceCore c = taken.get();
        if (c != null) {
            return c;
        }
        ServiceReference<DeviceCore> ref = refs.getService();
        if (ref == null) {
            return null;
        }
        DeviceCore got = context.getService(ref);
        if (got != null && !taken.compareAndSet(null, got)) {
            context.ungetService(ref); // another thread took it first
            return taken.get();
        }
        return got;
    }

    @Override
    public void close() {
        refs.close();
    }
}
