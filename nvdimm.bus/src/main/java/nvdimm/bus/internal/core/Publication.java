package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nvdimm.bus.Driver;

/**
 * Publishing a bound device as services, and withdrawing them, with no device lock held. A racing
 * unpublish wins: a publisher that finds its publication revoked withdraws what it registered.
 */
final class Publication {
    static final Object UNPUBLISHED = new Marker("unpublished");
    static final Object PUBLISHING = new Marker("publishing");
    static final Object REVOKED = new Marker("revoked");

    private final CoreImpl core;

    Publication(CoreImpl core) {
        this.core = core;
    }

    /** Publishes a bound device, with no device lock held; a racing unpublish wins (see {@link #unpublish}). */
    void publish(DeviceImpl dev) {
        while (!dev.publication.compareAndSet(UNPUBLISHED, PUBLISHING)) {
            Object state = dev.publication.get();
            if (state == UNPUBLISHED) {
                continue; // withdrawn just now: try again
            }
            if (state != REVOKED) {
                return; // published, or being published, with the current binding
            }
            // An earlier binding's publication, revoked by the unbind that ended it, is still in flight:
            // its publisher publishes again once it has withdrawn (below), unless it finished meanwhile.
            dev.republish.set(true);
            if (dev.publication.get() == REVOKED || !dev.republish.compareAndSet(true, false)) {
                return;
            }
        }
        List<Publisher.Publication> done = new ArrayList<>();
        try {
            Driver d = dev.driver;
            if (!dev.isDead() && d != null && dev.unbinding == 0) {
                core.requireNoDeviceLock();
                Map<String, Object> props = dev.serviceProperties();
                done.add(core.publisher.publish(dev.serviceTypes(), dev, props));
                for (Map.Entry<Class<?>, Object> e : d.services(dev).entrySet()) {
                    done.add(core.publisher.publish(List.of(e.getKey()), e.getValue(), props));
                }
            }
        } catch (RuntimeException e) {
            CoreImpl.LOG.log(Level.WARNING, dev.name + ": publishing failed", e);
            withdraw(done);
            done.clear();
        } finally {
            Object result = done.isEmpty() ? UNPUBLISHED : List.copyOf(done);
            if (!dev.publication.compareAndSet(PUBLISHING, result)) {
                // Revoked while we were publishing: the unpublisher went on, we withdraw.
                withdraw(done);
                dev.publication.set(UNPUBLISHED);
                if (dev.republish.compareAndSet(true, false)) {
                    publish(dev); // a new binding tried to publish meanwhile and left it to us
                }
            }
        }
    }

    /**
     * Withdraws the device's services. If a publisher is registering them right now it is told to
     * withdraw them itself as soon as its registration returns; this call does not wait for it.
     */
    @SuppressWarnings("unchecked")
    void unpublish(DeviceImpl dev) {
        for (;;) {
            Object s = dev.publication.get();
            if (s == UNPUBLISHED || s == REVOKED) {
                return;
            }
            if (s == PUBLISHING) {
                if (dev.publication.compareAndSet(s, REVOKED)) {
                    return;
                }
            } else if (dev.publication.compareAndSet(s, UNPUBLISHED)) {
                core.requireNoDeviceLock();
                withdraw((List<Publisher.Publication>) s);
                return;
            }
        }
    }

    private static void withdraw(List<Publisher.Publication> publications) {
        for (Publisher.Publication p : publications.reversed()) {
            try {
                p.withdraw();
            } catch (RuntimeException e) {
                CoreImpl.LOG.log(Level.WARNING, "withdrawing a service failed", e);
            }
        }
    }

    private record Marker(String name) {
        @Override
        public String toString() {
            return name;
        }
    }
}
