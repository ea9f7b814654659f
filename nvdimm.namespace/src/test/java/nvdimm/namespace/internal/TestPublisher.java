package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import nvdimm.bus.Device;
import nvdimm.bus.internal.core.LockClasses;
import nvdimm.bus.internal.core.Publisher;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.Lockdep;

/**
 * Stands in for the framework: keeps what the device core publishes and, as the component's synchronous
 * service listener does, reports the withdrawal of a device's own service ({@link #onDeviceWithdrawn})
 * before it is gone. Records a violation for every call made with a device lock held.
 */
final class TestPublisher implements Publisher {
    record Published(List<Class<?>> types, Object service, Map<String, Object> properties) {
    }

    private final Lockdep lockdep;
    final List<Published> active = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile Consumer<String> onDeviceWithdrawn = dev -> { };

    TestPublisher(Lockdep lockdep) {
        this.lockdep = lockdep;
    }

    static void checkNoDeviceLock(Lockdep lockdep, List<String> violations, String what) {
        for (HeldLock h : lockdep.heldLocks()) {
            if (h.lock().className().equals(LockClasses.DEVICE_LOCK.name())) {
                violations.add(what + " with " + h + " held");
            }
        }
    }

    @Override
    public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
        Published p = new Published(List.copyOf(types), service, Map.copyOf(properties));
        checkNoDeviceLock(lockdep, violations, "publish " + types.getLast().getSimpleName());
        active.add(p);
        return () -> {
            checkNoDeviceLock(lockdep, violations, "withdraw " + types.getLast().getSimpleName());
            if (p.types().contains(Device.class)) {
                onDeviceWithdrawn.accept((String) p.properties().get(Device.SERVICE_DEV));
            }
            active.remove(p);
        };
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
    }

    <T> List<T> services(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Published p : active) {
            if (p.types().contains(type)) {
                out.add(type.cast(p.service()));
            }
        }
        return out;
    }
}
