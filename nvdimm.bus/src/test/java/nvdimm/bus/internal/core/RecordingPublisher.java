package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceEvents;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.Lockdep;

/**
 * Stands in for the framework and Event Admin: records every call on one timeline ("publish nmem0",
 * "unpublish nmem0", "BIND nmem0", ...), keeps what is published, and records a violation whenever it
 * is called by a thread holding a device lock.
 */
final class RecordingPublisher implements Publisher {
    record Published(List<Class<?>> types, Object service, Map<String, Object> properties) {
    }

    record Posted(String topic, Map<String, Object> properties) {
        String dev() {
            return (String) properties.get(DeviceEvents.DEV);
        }

        String action() {
            return topic.substring(DeviceEvents.TOPIC_PREFIX.length());
        }
    }

    private final Lockdep lockdep;
    final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<Posted> events = new CopyOnWriteArrayList<>();
    final Map<String, List<Published>> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    /** Runs inside every publish call (a synchronous service listener, in the framework). */
    volatile Runnable onPublish = () -> { };
    /** Runs inside every post, with its timeline entry ("CHANGE nmem0"), before it is recorded. */
    volatile java.util.function.Consumer<String> onPost = entry -> { };
    /** Runs inside every withdrawal, with the device name (a synchronous listener of UNREGISTERING). */
    volatile java.util.function.Consumer<String> onWithdraw = dev -> { };

    RecordingPublisher(Lockdep lockdep) {
        this.lockdep = lockdep;
    }

    private void check(String what) {
        if (DeviceLock.heldByCurrentThread() > 0) {
            violations.add(what + " on " + Thread.currentThread().getName() + " with a device lock held");
        }
        for (HeldLock h : lockdep.heldLocks()) {
            if (h.lock().className().equals(LockClasses.DEVICE_LOCK.name())) {
                violations.add(what + " with " + h + " held");
            }
        }
    }

    @Override
    public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
        String dev = (String) properties.get(Device.SERVICE_DEV);
        check("publish " + dev);
        Published p = new Published(List.copyOf(types), service, Map.copyOf(properties));
        active.computeIfAbsent(dev, k -> new CopyOnWriteArrayList<>()).add(p);
        record("publish " + dev);
        onPublish.run();
        AtomicBoolean withdrawn = new AtomicBoolean();
        return () -> {
            check("unpublish " + dev);
            onWithdraw.accept(dev);
            if (!withdrawn.compareAndSet(false, true)) {
                violations.add("a publication of " + dev + " withdrawn twice");
            }
            active.get(dev).remove(p);
            record("unpublish " + dev);
        };
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        Posted e = new Posted(topic, Map.copyOf(properties));
        check(e.action() + " " + e.dev());
        onPost.accept(e.action() + " " + e.dev());
        events.add(e);
        record(e.action() + " " + e.dev());
    }

    private void record(String entry) {
        timeline.add(entry);
        counts.computeIfAbsent(entry, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Forgets the timeline and events (not the counts or what is published). */
    void clearTimeline() {
        timeline.clear();
        events.clear();
    }

    boolean published(String dev) {
        List<Published> list = active.get(dev);
        return list != null && !list.isEmpty();
    }

    List<Published> publications(String dev) {
        return List.copyOf(active.getOrDefault(dev, List.of()));
    }

    /** The actions posted for a device, in order ("ADD", "BIND", ...). */
    List<String> actions(String dev) {
        return events.stream().filter(e -> dev.equals(e.dev())).map(Posted::action).toList();
    }

    /** How many times {@code entry} was recorded since the start. */
    int count(String entry) {
        AtomicInteger n = counts.get(entry);
        return n == null ? 0 : n.get();
    }

    int indexOf(String entry) {
        synchronized (timeline) {
            return timeline.indexOf(entry);
        }
    }

    List<String> timeline() {
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }
}
