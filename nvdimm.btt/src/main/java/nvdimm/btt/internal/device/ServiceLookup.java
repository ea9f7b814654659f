package nvdimm.btt.internal.device;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * A service looked up when first needed rather than referenced: the device core binds every driver while it is
 * being built, so a driver component that needs the core built first is a cycle SCR refuses (and logs); the
 * namespace service is only needed by a check. The tracker holds only the reference; the service object is taken
 * on the first {@link #get()} and released when the service goes.
 *
 * @param <T> the service type
 */
final class ServiceLookup<T> implements Supplier<T>, AutoCloseable {
    private final BundleContext context;
    private final ServiceTracker<T, ServiceReference<T>> refs;
    private final AtomicReference<T> taken = new AtomicReference<>();

    ServiceLookup(BundleContext context, Class<T> type) {
        this.context = context;
        this.refs = new ServiceTracker<>(context, type, new ServiceTrackerCustomizer<>() {
            @Override
            public ServiceReference<T> addingService(ServiceReference<T> ref) {
                return ref;
            }

            @Override
            public void modifiedService(ServiceReference<T> ref, ServiceReference<T> same) {
            }

            @Override
            public void removedService(ServiceReference<T> ref, ServiceReference<T> same) {
                if (taken.getAndSet(null) != null) {
                    context.ungetService(ref);
                }
            }
        });
        refs.open();
    }

    @Override
    public T get() {
        T c = taken.get();
        if (c != null) {
            return c;
        }
        ServiceReference<T> ref = refs.getService();
        if (ref == null) {
            return null;
        }
        T got = context.getService(ref);
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
