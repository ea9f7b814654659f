package nvdimm.bus.internal.core;

import java.util.List;
import java.util.Map;

/**
 * Where the core publishes services and posts events: the OSGi framework and Event Admin in the bundle,
 * a recorder in tests. The core calls it with no device lock held.
 */
public interface Publisher {
    /** A published service. */
    @FunctionalInterface
    interface Publication {
        /** Withdraws the service; called once. */
        void withdraw();
    }

    /** Registers {@code service} under the given interfaces with the given properties. */
    Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties);

    /** Posts an event asynchronously. */
    void post(String topic, Map<String, Object> properties);
}
