package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import nvdimm.bus.Driver;
import nvdimm.lockdep.WaitPoint;

/**
 * The publication state machine: a bound device's services are registered and withdrawn with no device
 * lock held, and whoever takes the device down (unregister, disable, a leaving driver or provider) goes
 * on only once they are withdrawn, so {@link Driver#services} never runs after {@link Driver#remove}.
 *
 * <pre>
 *                 publish()                         all registered
 *   Unpublished ────────────► Publishing(owner) ─────────────────────► Published(services)
 *        ▲                          │                                        │
 *        │                unpublish()│ (marks it; a thread other than         │ unpublish()
 *        │                          │  the owner then waits for it)           ▼
 *        │                          ▼                                  Withdrawing(owner)
 *        │   owner withdraws  Revoked(owner, republish)                       │
 *        ├──────────────────────────┘                                        │ withdrawn
 *        └───────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <ul>
 * <li>The publisher checks for revocation after each registration and before calling
 * {@link Driver#services}: a revoked publisher stops, withdraws what it registered, and settles.</li>
 * <li>An unpublisher that finds a publication or a withdrawal in flight on another thread waits until it
 * settles ({@link #awaitSettled}, the wait point {@code nd_device.publication}; refused with EDEADLK
 * under a device lock). On the owner's own thread (a synchronous service listener unregistering the
 * device it is publishing) it returns at once: the owner withdraws when its registration returns.</li>
 * <li>A publish finding {@code Revoked} is a new binding made while the revoked publisher is still in
 * flight, which can only be on that publisher's own thread: it sets {@code republish}, and the owner
 * publishes again once it has withdrawn. A publish finding any other state than {@code Unpublished}
 * has nothing to do (its binding is published, being published, or being withdrawn).</li>
 * </ul>
 */
final class Publication {
    /** The states; each in-flight state carries the latch that opens when it settles. */
    sealed interface State permits Unpublished, Publishing, Revoked, Published, Withdrawing {
    }

    /** Nothing registered, nothing in flight. */
    record Unpublished() implements State {
        static final Unpublished INSTANCE = new Unpublished();
    }

    /** {@code owner} is registering the services. */
    record Publishing(Thread owner, CountDownLatch settled) implements State {
    }

    /** A publication in flight that must not stay: {@code owner} withdraws it, then publishes again if asked. */
    record Revoked(Thread owner, CountDownLatch settled, boolean republish) implements State {
    }

    /** The services are registered. */
    record Published(List<Publisher.Publication> services) implements State {
    }

    /** {@code owner} is withdrawing the services. */
    record Withdrawing(Thread owner, CountDownLatch settled) implements State {
    }

    /** Devices whose publication this thread has in flight, innermost last. */
    private static final ThreadLocal<ArrayDeque<DeviceImpl>> IN_FLIGHT = ThreadLocal.withInitial(ArrayDeque::new);

    private final CoreImpl core;
    /**
     * One wait point per device lock level: a publication whose service listeners bind and enable a child
     * (a namespace's publication attaching its BTT) waits for the child's publication, a level below; the
     * validator orders that nesting as it orders device locks, where one class for all would call it
     * recursive. A wait for a device at one's own level or above is still reported.
     */
    private final WaitPoint[] settledPoints;

    Publication(CoreImpl core) {
        this.core = core;
        int levels = 0;
        for (nvdimm.bus.DeviceType t : nvdimm.bus.DeviceType.values()) {
            levels = Math.max(levels, t.lockLevel() + 1);
        }
        this.settledPoints = new WaitPoint[levels];
        for (int level = 0; level < levels; level++) {
            settledPoints[level] = core.lockdep.newWaitPoint(LockClasses.PUBLICATION, level);
        }
    }

    private WaitPoint settledPoint(DeviceImpl dev) {
        return settledPoints[dev.type.lockLevel()];
    }

    /** Publishes a bound device (a no-op unless it is unpublished). Never under a device lock. */
    void publish(DeviceImpl dev) {
        Publishing mine = claim(dev);
        if (mine == null) {
            return;
        }
        List<Publisher.Publication> done = new ArrayList<>();
        IN_FLIGHT.get().addLast(dev);
        try {
            settledPoint(dev).work(() -> register(dev, mine, done));
        } catch (RuntimeException e) {
            CoreImpl.LOG.log(Level.WARNING, dev.name + ": publishing failed", e);
            withdraw(done);
            done.clear();
        } finally {
            IN_FLIGHT.get().removeLastOccurrence(dev);
            settle(dev, mine, done);
        }
    }

    /** Unpublished → Publishing(this thread); null if there is nothing to publish (see the class comment). */
    private static Publishing claim(DeviceImpl dev) {
        for (;;) {
            State s = dev.publication.get();
            if (s instanceof Unpublished) {
                Publishing mine = new Publishing(Thread.currentThread(), new CountDownLatch(1));
                if (dev.publication.compareAndSet(s, mine)) {
                    return mine;
                }
            } else if (s instanceof Revoked r && !r.republish()) {
                if (dev.publication.compareAndSet(s, new Revoked(r.owner(), r.settled(), true))) {
                    return null;
                }
            } else {
                return null;
            }
        }
    }

    /** The registrations, each only while the publication is not revoked. */
    private void register(DeviceImpl dev, Publishing mine, List<Publisher.Publication> done) {
        core.refuseUnderDeviceLock("publishing " + dev.name);
        Driver d = dev.driver;
        if (dev.isDead() || d == null || dev.unbinding > 0) {
            return;
        }
        Map<String, Object> props = dev.serviceProperties();
        done.add(core.publisher.publish(dev.serviceTypes(), dev, props));
        if (dev.publication.get() != mine) {
            return; // revoked while registering: services() is not called for a device on its way out
        }
        for (Map.Entry<Class<?>, Object> e : d.services(dev).entrySet()) {
            if (dev.publication.get() != mine) {
                return;
            }
            done.add(core.publisher.publish(List.of(e.getKey()), e.getValue(), props));
        }
    }

    /** Publishing → Published, or (revoked, failed, nothing to publish) withdrawn → Unpublished. */
    private void settle(DeviceImpl dev, Publishing mine, List<Publisher.Publication> done) {
        State result = done.isEmpty() ? Unpublished.INSTANCE : new Published(List.copyOf(done));
        if (dev.publication.compareAndSet(mine, result)) {
            mine.settled().countDown();
            return;
        }
        Revoked r = (Revoked) dev.publication.get(); // only an unpublisher changes a Publishing state
        withdraw(done);
        boolean again;
        for (;;) {
            Revoked now = (Revoked) dev.publication.get();
            if (dev.publication.compareAndSet(now, Unpublished.INSTANCE)) {
                again = now.republish();
                break;
            }
        }
        r.settled().countDown();
        if (again) {
            publish(dev); // a new binding was made meanwhile and left its publication to us
        }
    }

    /**
     * Withdraws the device's services, and returns once they are gone: a publication or a withdrawal in
     * flight on another thread is waited for. On the thread that has it in flight this returns at once.
     *
     * @throws nvdimm.bus.NvdimmException EDEADLK under a device lock
     */
    void unpublish(DeviceImpl dev) {
        for (;;) {
            State s = dev.publication.get();
            switch (s) {
                case Unpublished u -> {
                    return;
                }
                case Published p -> {
                    core.refuseUnderDeviceLock("withdrawing the services of " + dev.name);
                    Withdrawing mine = new Withdrawing(Thread.currentThread(), new CountDownLatch(1));
                    if (dev.publication.compareAndSet(p, mine)) {
                        try {
                            withdraw(p.services());
                        } finally {
                            dev.publication.set(Unpublished.INSTANCE);
                            mine.settled().countDown();
                        }
                        return;
                    }
                }
                case Publishing p -> {
                    if (p.owner() != Thread.currentThread()) { // refused before it changes anything
                        core.refuseUnderDeviceLock("waiting for the publication of " + dev.name + " to settle");
                    }
                    dev.publication.compareAndSet(p, new Revoked(p.owner(), p.settled(), false));
                }
                case Revoked r -> {
                    if (r.owner() == Thread.currentThread()) {
                        return; // its publisher is below us on this stack and withdraws when we return
                    }
                    awaitSettled(dev, r.settled());
                }
                case Withdrawing w -> {
                    if (w.owner() == Thread.currentThread()) {
                        return;
                    }
                    awaitSettled(dev, w.settled());
                }
            }
        }
    }

    /**
     * Returns once no other thread has a publication of {@code dev} in flight: an explicit enable that finds the
     * device bound by a probe running elsewhere returns with its services registered, as one that bound it
     * itself does. On the publishing thread (or with nothing in flight) it returns at once.
     *
     * @throws nvdimm.bus.NvdimmException EDEADLK under a device lock
     */
    void awaitPublishing(DeviceImpl dev) {
        if (dev.publication.get() instanceof Publishing p && p.owner() != Thread.currentThread()) {
            awaitSettled(dev, p.settled());
        }
    }

    /** Waits for another thread's publication or withdrawal of {@code dev} to settle. */
    private void awaitSettled(DeviceImpl dev, CountDownLatch settled) {
        core.refuseUnderDeviceLock("waiting for the publication of " + dev.name + " to settle");
        core.lockdep.mightSleep();
        settledPoint(dev).beforeWait();
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    settled.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether this thread is inside a publication: a service listener of a device being published. */
    static boolean publishingOnThisThread() {
        return !IN_FLIGHT.get().isEmpty();
    }

    /**
     * Whether this thread has a publication in flight of {@code dev} or of a device below it: a teardown
     * of {@code dev} run by another thread would wait for this thread.
     */
    static boolean publishingAtOrBelow(DeviceImpl dev) {
        for (DeviceImpl d : IN_FLIGHT.get()) {
            for (DeviceImpl a = d; a != null; a = a.parent) {
                if (a == dev) {
                    return true;
                }
            }
        }
        return false;
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
}
