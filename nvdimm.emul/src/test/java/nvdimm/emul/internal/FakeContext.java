package nvdimm.emul.internal;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A bundle context that knows framework properties and records service registrations. */
final class FakeContext {

    /** One registration: what was registered and whether it is still there. */
    static final class Registration {
        final Class<?> type;
        final Object service;
        final Map<String, Object> properties = new HashMap<>();
        volatile boolean unregistered;

        Registration(Class<?> type, Object service, Dictionary<?, ?> props) {
            this.type = type;
            this.service = service;
            for (Object k : Collections.list(props.keys())) {
                properties.put((String) k, props.get(k));
            }
        }
    }

    final Map<String, String> properties = new HashMap<>();
    final List<Registration> registrations = new CopyOnWriteArrayList<>();

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "registerService" -> register((Class<?>) args[0], args[1], (Dictionary<?, ?>) args[2]);
                    case "toString" -> "FakeContext";
                    default -> throw new UnsupportedOperationException(method.toString());
                });
    }

    private ServiceRegistration<?> register(Class<?> type, Object service, Dictionary<?, ?> props) {
        Registration r = new Registration(type, service, props);
        registrations.add(r);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        if (r.unregistered) {
                            throw new IllegalStateException("already unregistered");
                        }
                        r.unregistered = true;
                        return null;
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }

    List<Registration> live() {
        return registrations.stream().filter(r -> !r.unregistered).toList();
    }
}
