package nvdimm.region.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.internal.core.LockClasses;
import nvdimm.bus.internal.core.Publisher;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.Lockdep;

/**
 * Stands in for the framework and Event Admin: keeps what is published, records a timeline
 * ("publish Region region0", "CHANGE region0"), runs a listener inside every publication and every
 * withdrawal (as a synchronous service listener would), and records a violation for every call made with
 * a device lock held. Shared with other modules' tests through this module's test-jar.
 */
public final class TestPublisher implements Publisher {
    public record Published(List<Class<?>> types, Object service, Map<String, Object> properties) {
        public String dev() {
            return (String) properties.get(Device.SERVICE_DEV);
        }
    }

    private final Lockdep lockdep;
    public final List<Published> active = new CopyOnWriteArrayList<>();
    public final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    public final List<String> violations = new CopyOnWriteArrayList<>();
    /** Runs inside every publication. */
    public volatile Consumer<Published> onPublish = p -> { };
    /** Runs inside every withdrawal, before the service is gone. */
    public volatile Consumer<Published> onWithdraw = p -> { };
    /** Runs inside every event post, with the action ("ADD", ...) and the device name. */
    public volatile BiConsumer<String, String> onPost = (action, dev) -> { };

    public TestPublisher(Lockdep lockdep) {
        this.lockdep = lockdep;
    }

    /** Adds to {@code violations} one entry per device lock the calling thread holds. */
    public static void checkNoDeviceLock(Lockdep lockdep, List<String> violations, String what) {
        for (HeldLock h : lockdep.heldLocks()) {
            if (h.lock().className().equals(LockClasses.DEVICE_LOCK.name())) {
                violations.add(what + " with " + h + " held");
            }
        }
    }

    private void check(String what) {
        checkNoDeviceLock(lockdep, violations, what);
    }

    @Override
    public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
        Published p = new Published(List.copyOf(types), service, Map.copyOf(properties));
        String entry = "publish " + types.getLast().getSimpleName() + " " + p.dev();
        check(entry);
        active.add(p);
        timeline.add(entry);
        onPublish.accept(p);
        return () -> {
            check("un" + entry);
            onWithdraw.accept(p);
            active.remove(p);
            timeline.add("un" + entry);
        };
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        String action = topic.substring(DeviceEvents.TOPIC_PREFIX.length());
        String dev = (String) properties.get(DeviceEvents.DEV);
        String entry = action + " " + dev;
        check(entry);
        timeline.add(entry);
        onPost.accept(action, dev);
    }

    /** The published services of a type, in publication order. */
    public <T> List<T> services(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Published p : active) {
            if (p.types().contains(type)) {
                out.add(type.cast(p.service()));
            }
        }
        return out;
    }

    /** The properties a service object was published with, or null. */
    public Map<String, Object> properties(Object service) {
        for (Published p : active) {
            if (p.service() == service) {
                return p.properties();
            }
        }
        return null;
    }

    public List<String> timeline() {
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }

    /** How many entries of the timeline equal {@code entry}. */
    public long count(String entry) {
        return timeline().stream().filter(entry::equals).count();
    }
}
