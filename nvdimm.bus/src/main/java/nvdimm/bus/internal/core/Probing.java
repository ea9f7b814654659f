package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import nvdimm.bus.DeviceEvents;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Probing and binding (Linux's driver core {@code dd.c} with libnvdimm's {@code nvdimm_bus_probe}): a
 * device is offered to the drivers when it is registered and when a driver arrives. Its probe is queued
 * on the probe executor (one queued probe per device at a time) and counted until it has finished,
 * published included; {@link #waitIdle} waits for that count to reach zero. A probe runs as work of the
 * wait point {@code nd_bus.probe_idle}, so "hold X, wait for probes" against "a probe takes X" is a cycle
 * the validator reports even if the two never overlap. The device lock is held around the driver's probe
 * only; publishing and events happen after it is released. Unbinding (a driver leaving, disable) takes
 * the service down first, then the children, then calls the driver's remove under the device lock.
 */
final class Probing {
    /** The buses of the probes running on this thread (async probe task or enable()), to refuse a wait for itself. */
    private static final ThreadLocal<List<BusImpl>> PROBING = ThreadLocal.withInitial(ArrayList::new);

    private final CoreImpl core;
    final CopyOnWriteArrayList<Driver> drivers = new CopyOnWriteArrayList<>();
    final ActiveCount probes;

    Probing(CoreImpl core) {
        this.core = core;
        this.probes = new ActiveCount(core.lockdep, LockClasses.PROBE_COUNT);
        drivers.add(new BusDriver());
        drivers.add(new DimmDriver());
    }

    /** A driver arrived: every unbound device is offered to it (asynchronously). */
    void addDriver(Driver driver) {
        Objects.requireNonNull(driver, "driver");
        if (drivers.addIfAbsent(driver)) {
            for (DeviceImpl dev : core.names.snapshot()) {
                scheduleProbe(dev);
            }
        }
    }

    /** A driver leaves: its devices are unbound (children first), then offered to the others. */
    void removeDriver(Driver driver) {
        core.lockdep.mightSleep();
        core.refuseUnderDeviceLock("driver " + driver.name() + ": unbinding its devices");
        if (!drivers.remove(driver)) {
            return;
        }
        for (DeviceImpl dev : core.names.snapshot()) { // registration order: parents before children
            // Checked under each device lock: a probe that saw the driver listed binds before we look.
            if (unbind(dev, driver, false)) {
                scheduleProbe(dev);
            }
        }
    }

    /** Queues a probe of an unbound device, unless one is queued already. */
    void scheduleProbe(DeviceImpl dev) {
        if (dev.isDead() || dev.driver != null || dev.userDisabled) {
            return;
        }
        if (!dev.probeQueued.compareAndSet(false, true)) {
            return;
        }
        if (!probes.enter()) {
            dev.probeQueued.set(false);
            return;
        }
        dev.busImpl().probes.enter(); // never closed: the core's count is the one closed at shutdown
        ProbeTask task = new ProbeTask(dev);
        try {
            core.probeExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            task.abandon();
        }
    }

    /** An asynchronous probe: counted from queueing until its device is published. */
    final class ProbeTask implements Runnable {
        private final DeviceImpl dev;

        ProbeTask(DeviceImpl dev) {
            this.dev = dev;
        }

        @Override
        public void run() {
            BusImpl bus = dev.busImpl();
            PROBING.get().add(bus);
            try {
                dev.probeQueued.set(false);
                bus.reconfig.gate();
                core.probeIdle.work(() -> {
                    RuntimeException failure = probeAndPublish(dev, false);
                    if (failure != null) {
                        CoreImpl.LOG.log(Level.WARNING, dev.name + ": probe failed: " + failure.getMessage());
                    }
                    core.outbox.drain();
                });
            } catch (RuntimeException e) {
                CoreImpl.LOG.log(Level.WARNING, dev.name + ": probe failed", e);
            } finally {
                PROBING.get().remove(bus);
                exit(bus);
            }
        }

        void abandon() {
            dev.probeQueued.set(false);
            exit(dev.busImpl());
        }
    }

    private void exit(BusImpl bus) {
        bus.probes.exit();
        probes.exit();
    }

    /** A probe on this thread (enable, bus bring-up), counted, gated and in the probe-idle work. */
    RuntimeException probeNow(DeviceImpl dev, boolean explicit) {
        return probeNow(dev, explicit, true);
    }

    /**
     * The probe of {@link #probeNow(DeviceImpl, boolean)}; with {@code waitAtGate} false it does not wait while a
     * reconfiguration holds the bus: the same probe then runs on a probe thread once the reconfiguration is over.
     *
     * @return the failure, or null
     */
    RuntimeException probeNow(DeviceImpl dev, boolean explicit, boolean waitAtGate) {
        if (!probes.enter()) {
            return new NvdimmException(Errno.ENXIO, dev.name + ": the device core is shut down");
        }
        BusImpl bus = dev.busImpl();
        bus.probes.enter();
        RuntimeException[] failure = new RuntimeException[1];
        PROBING.get().add(bus);
        try {
            if (waitAtGate) {
                bus.reconfig.gate();
            } else if (!bus.reconfig.tryGate()) {
                deferExplicitProbe(dev);
                return null;
            }
            core.probeIdle.work(() -> failure[0] = probeAndPublish(dev, explicit));
        } finally {
            PROBING.get().remove(bus);
            exit(bus);
            core.outbox.drain();
        }
        return failure[0];
    }

    /**
     * The explicit probe of a device whose enable could not wait at the gate: it runs on a probe thread once the
     * reconfiguration lets go, as the enable would have (a driver that binds only on request still binds).
     */
    private void deferExplicitProbe(DeviceImpl dev) {
        if (!probes.enter()) {
            return; // the core is shutting down: nothing is to be bound any more
        }
        BusImpl bus = dev.busImpl();
        bus.probes.enter(); // counted from now, so that waitProbeIdle() waits for it
        try {
            core.probeExecutor.execute(() -> {
                try {
                    RuntimeException failure = probeNow(dev, true, true);
                    if (failure != null && !dev.isDead()) {
                        CoreImpl.LOG.log(Level.WARNING, dev.name + ": deferred enable failed: " + failure.getMessage());
                    }
                } finally {
                    exit(bus);
                }
            });
        } catch (RejectedExecutionException e) {
            exit(bus);
        }
    }

    /** Binds a driver (if one takes the device) and publishes it; returns the failure, if any. */
    private RuntimeException probeAndPublish(DeviceImpl dev, boolean explicit) {
        NvdimmException rejected = null;
        for (Driver d : drivers) {
            if (!matches(d, dev)) {
                continue;
            }
            Outcome o = attempt(dev, d, explicit);
            switch (o.attempt()) {
                case BOUND -> {
                    core.publication.publish(dev);
                    return null;
                }
                case SETTLED -> {
                    return null;
                }
                case GONE -> {
                    return explicit ? CoreImpl.gone(dev) : null;
                }
                case SKIPPED -> {
                    continue;
                }
                default -> {
                    // FAILED or REJECTED: children of the failed probe go; then stop, or try the next driver.
                    for (DeviceImpl orphan : dev.children) {
                        core.teardown.removeChild(orphan);
                    }
                    if (o.attempt() == Attempt.FAILED) {
                        return o.failure();
                    }
                    rejected = (NvdimmException) o.failure();
                }
            }
        }
        if (!explicit) {
            return null;
        }
        return rejected != null ? rejected
                : new NvdimmException(Errno.ENODEV, dev.name + ": no driver takes a " + dev.type.devtype());
    }

    private static boolean matches(Driver d, DeviceImpl dev) {
        try {
            return d.match(dev);
        } catch (RuntimeException e) {
            CoreImpl.LOG.log(Level.WARNING, "driver " + d.name() + ": match(" + dev.name + ") failed", e);
            return false;
        }
    }

    private enum Attempt {
        /** The driver is bound now. */
        BOUND,
        /** Nothing to do: bound already, or disabled on request. */
        SETTLED,
        /** The device is being removed. */
        GONE,
        /** The driver left meanwhile: try the next. */
        SKIPPED,
        /** The driver's probe failed. */
        FAILED,
        /** The driver refused the device (ENODEV, ENXIO): try the next. */
        REJECTED
    }

    private record Outcome(Attempt attempt, RuntimeException failure) {
        static final Outcome BOUND = new Outcome(Attempt.BOUND, null);
        static final Outcome SETTLED = new Outcome(Attempt.SETTLED, null);
        static final Outcome GONE = new Outcome(Attempt.GONE, null);
        static final Outcome SKIPPED = new Outcome(Attempt.SKIPPED, null);
    }

    /** One driver's probe of the device: the lock-free preparation, then the probe under the device lock. */
    private Outcome attempt(DeviceImpl dev, Driver d, boolean explicit) {
        Object prepared = null;
        RuntimeException failure = null;
        if (d instanceof PreparedDriver p) {
            if (dev.isDead() || dev.driver != null) {
                return dev.isDead() ? Outcome.GONE : Outcome.SETTLED;
            }
            try {
                prepared = p.prepare(dev);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        dev.lock.lock();
        try {
            if (dev.isDead()) {
                return Outcome.GONE;
            }
            if (dev.driver != null || (!explicit && dev.userDisabled)) {
                return Outcome.SETTLED;
            }
            if (!drivers.contains(d)) {
                return Outcome.SKIPPED;
            }
            if (explicit) {
                dev.userDisabled = false;
            }
            if (failure == null) {
                dev.probing = d;
                try {
                    if (d instanceof PreparedDriver p) {
                        p.probe(dev, prepared);
                    } else {
                        d.probe(dev);
                    }
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    dev.probing = null;
                }
            }
            if (failure == null) {
                dev.driver = d;
                dev.probeError = null;
                core.outbox.add(DeviceEvents.BIND, dev.eventProperties(d));
                return Outcome.BOUND;
            }
            dev.driverData = null;
            dev.probeError = failure instanceof NvdimmException ne ? ne
                    : new NvdimmException(Errno.EIO, dev.name + ": driver " + d.name() + " failed its probe: "
                            + failure, failure);
            boolean rejects = failure instanceof NvdimmException ne
                    && (ne.errno() == Errno.ENODEV || ne.errno() == Errno.ENXIO);
            return new Outcome(rejects ? Attempt.REJECTED : Attempt.FAILED, failure);
        } finally {
            dev.lock.unlock();
        }
    }

    /**
     * Unbinds the device's driver ({@code expected}, or any when null): the service goes, then the
     * children, then the driver's remove() under the device lock. True if this call unbound it.
     */
    boolean unbind(DeviceImpl dev, Driver expected, boolean requested) {
        dev.lock.lock();
        try {
            if (dev.isDead()) {
                if (requested) {
                    throw CoreImpl.gone(dev);
                }
                return false;
            }
            if (requested) {
                dev.userDisabled = true;
            }
            Driver d = dev.driver;
            if (d == null || (expected != null && d != expected)) {
                return false;
            }
            dev.unbinding++;
        } finally {
            dev.lock.unlock();
        }
        boolean unbound = false;
        try {
            core.publication.unpublish(dev);
            for (DeviceImpl child : dev.children) {
                core.teardown.removeChild(child);
            }
        } finally {
            dev.lock.lock();
            try {
                dev.unbinding--;
                Driver d = dev.driver;
                if (d != null && (expected == null || d == expected)) {
                    unbound = true;
                    detach(dev, d);
                }
            } finally {
                dev.lock.unlock();
            }
            core.outbox.drain();
        }
        return unbound;
    }

    /** The driver's remove(), then the binding is cleared; device lock held. */
    void detach(DeviceImpl dev, Driver d) {
        try {
            d.remove(dev);
        } finally {
            dev.driver = null;
            dev.driverData = null;
            core.outbox.add(DeviceEvents.UNBIND, dev.eventProperties(d));
        }
    }

    /** Waits for the probe count of every bus to reach zero, at most {@code nanos}. */
    boolean waitIdle(long nanos) {
        core.lockdep.mightSleep();
        core.refuseUnderDeviceLock("waitProbeIdle()", core.probeIdle);
        if (ReconfigLock.anyHeldByCurrentThread()) { // its bus's probes wait at the gate for this thread
            throw new NvdimmException(Errno.EDEADLK, "waitProbeIdle(): refused while this thread holds a bus's"
                    + " reconfiguration lock; wait for that bus's probes through the lock instead");
        }
        core.probeIdle.beforeWait();
        if (!PROBING.get().isEmpty()) {
            throw new NvdimmException(Errno.EBUSY, "waitProbeIdle(): called from inside a probe, it would wait for"
                    + " itself");
        }
        try {
            return probes.awaitZero(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, "waitProbeIdle(): interrupted", e);
        }
    }

    /**
     * Linux's {@code wait_nvdimm_bus_probe_idle}, with the bus's reconfiguration lock held by this thread:
     * until no probe of the bus is queued or running, releasing the lock while waiting.
     */
    void waitBusIdle(BusImpl bus) {
        core.lockdep.mightSleep();
        String what = bus.name + ": waiting for its probes";
        core.refuseUnderDeviceLock(what, core.probeIdle);
        if (PROBING.get().contains(bus)) {
            throw new NvdimmException(Errno.EBUSY, what + ": called from inside a probe of " + bus.name
                    + ", it would wait for itself");
        }
        // Validated, and waited for, with the lock released: the dependency is on the probes, not the lock.
        bus.reconfig.unlockForWait();
        boolean held = false;
        try {
            core.probeIdle.beforeWait();
            for (;;) {
                bus.probes.awaitZero(Long.MAX_VALUE);
                bus.reconfig.relock();
                held = true;
                if (bus.probes.active() == 0) {
                    return; // and none starts before the holder lets go: they pass the gate first
                }
                bus.reconfig.unlockForWait();
                held = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, what + ": interrupted", e);
        } finally {
            if (!held) {
                bus.reconfig.relock();
            }
        }
    }
}
