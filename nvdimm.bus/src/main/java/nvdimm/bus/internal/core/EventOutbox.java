package nvdimm.bus.internal.core;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Device events in the order the changes happened. A change is queued where it happens, usually under
 * the device lock (queuing never blocks); the queue is handed to the publisher by whichever thread
 * drains it next while holding no device lock, one drainer at a time, so events leave in queue order
 * and never from under a device lock.
 */
final class EventOutbox {
    private record Pending(String topic, Map<String, Object> properties) {
    }

    private final Publisher publisher;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    EventOutbox(Publisher publisher) {
        this.publisher = publisher;
    }

    void add(String topic, Map<String, Object> properties) {
        queue.add(new Pending(topic, properties));
    }

    /** Posts what is queued, unless this thread holds a device lock (its releaser drains later). */
    void drain() {
        if (DeviceLock.heldByCurrentThread() > 0) {
            return;
        }
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Pending p;
                while ((p = queue.poll()) != null) {
                    try {
                        publisher.post(p.topic(), p.properties());
                    } catch (RuntimeException e) {
                        CoreImpl.LOG.log(System.Logger.Level.WARNING, "posting " + p.topic() + " failed", e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
