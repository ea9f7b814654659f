package nvdimm.bus.internal.core;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Publishes through the bundle's context and posts through Event Admin when one is bound. */
final class OsgiPublisher implements Publisher {
    private final BundleContext context;
    /** The bound Event Admin; greedy and dynamic, so a replacement is bound before the old one is unbound. */
    final AtomicReference<EventAdmin> eventAdmin = new AtomicReference<>();

    OsgiPublisher(BundleContext context) {
        this.context = context;
    }

    @Override
    public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
        String[] names = new String[types.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = types.get(i).getName();
        }
        ServiceRegistration<?> registration = context.registerService(names, service, new Hashtable<>(properties));
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework withdrew it when our bundle stopped
            }
        };
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }
}
