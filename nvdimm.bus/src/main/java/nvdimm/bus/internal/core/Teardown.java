package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

import nvdimm.bus.DeviceEvents;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.WaitPoint;

/**
 * Teardown and kill-once (Linux's {@code kill_device()} with libnvdimm's {@code nd_device_unregister}
 * in its ND_SYNC and ND_ASYNC forms). Whoever {@linkplain DeviceImpl#kill() kills} the device under its
 * lock (once) creates its teardown; the teardown runs once ({@link FutureTask}), on the winner's thread
 * (sync), on the teardown executor (async), or on the thread of anyone who needs it done before it
 * started (a loser of a sync unregister, a parent's teardown), so no one waits for a teardown stuck in a
 * queue. The teardown is work of the wait point for its device's lock level: unpublish, (a bus: unlist,
 * close and drain its commands), children (each killed once and torn down, or waited for), unbind the
 * driver under the device lock, forget the device.
 */
final class Teardown {
    private final CoreImpl core;
    private final WaitPoint[] teardownPoints;

    Teardown(CoreImpl core) {
        this.core = core;
        this.teardownPoints = new WaitPoint[LockClasses.levels()];
        for (int i = 0; i < teardownPoints.length; i++) {
            LockClass c = LockClasses.teardown(i);
            teardownPoints[i] = c == null ? null : core.lockdep.newWaitPoint(c);
        }
    }

    /** ND_SYNC: kill under the lock, release it, then run the teardown or wait for whoever runs it. */
    void unregisterNow(DeviceImpl dev) {
        core.lockdep.mightSleep();
        core.refuseUnderDeviceLock(dev.name + ": unregister", teardownPoint(dev));
        FutureTask<Void> mine = claim(dev);
        runOrAwait(dev, mine, true);
    }

    /** ND_ASYNC: the winner queues the teardown on the teardown executor. */
    CompletionStage<Void> unregisterAsync(DeviceImpl dev) {
        FutureTask<Void> mine = claim(dev);
        if (mine != null) {
            try {
                core.teardownExecutor.execute(mine);
            } catch (RejectedExecutionException e) {
                Thread t = new Thread(mine, "nvdimm-unregister-" + dev.name);
                t.setDaemon(true);
                t.start();
            }
        }
        return dev.removed.minimalCompletionStage();
    }

    /**
     * Kills the device under its lock (taken unless this thread holds it already, as an ND_ASYNC caller
     * does). The one caller that kills it gets the teardown to run; everyone else gets null.
     */
    private FutureTask<Void> claim(DeviceImpl dev) {
        boolean locked = CoreImpl.lockUnlessHeld(dev);
        try {
            if (!core.kill(dev)) {
                return null;
            }
            FutureTask<Void> task = new FutureTask<>(() -> {
                teardown(dev);
                return null;
            });
            dev.teardown = task;
            return task;
        } finally {
            if (locked) {
                dev.lock.unlock();
            }
        }
    }

    /**
     * Runs {@code mine}, or helps with or waits for the teardown someone else owns. A call from inside
     * that teardown (its own thread) returns at once: waiting would be waiting for itself.
     */
    private void runOrAwait(DeviceImpl dev, FutureTask<Void> mine, boolean rethrow) {
        FutureTask<Void> task = mine;
        if (task == null) {
            if (dev.teardownThread == Thread.currentThread()) {
                return;
            }
            task = dev.teardown;
            task.run(); // runs it here if its owner has not started it yet
            if (!task.isDone()) {
                if (Publication.publishingAtOrBelow(dev)) {
                    throw new NvdimmException(Errno.EDEADLK, dev.name + ": its teardown, running on another"
                            + " thread, waits for a publication this thread has in flight");
                }
                teardownPoint(dev).beforeWait();
            }
        } else {
            task.run();
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (rethrow) {
                        rethrow(e.getCause());
                    }
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws what a teardown threw: it only lets runtime exceptions and errors out. */
    private static void rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) t;
    }

    /** A child of a device being unbound or torn down: killed once and torn down, or waited for. */
    void removeChild(DeviceImpl child) {
        runOrAwait(child, claim(child), false);
    }

    private WaitPoint teardownPoint(DeviceImpl dev) {
        return teardownPoints[dev.type.lockLevel()];
    }

    /** Runs once per device, on whichever thread runs its FutureTask. Every step runs; the first failure is rethrown. */
    private void teardown(DeviceImpl dev) {
        dev.teardownThread = Thread.currentThread();
        List<RuntimeException> failures = new ArrayList<>();
        try {
            teardownPoint(dev).work(() -> {
                step(failures, () -> core.publication.unpublish(dev));
                if (dev instanceof BusImpl bus) {
                    step(failures, () -> core.busLifecycle.quiesce(bus));
                }
                for (DeviceImpl child : dev.children) {
                    step(failures, () -> removeChild(child));
                }
                step(failures, () -> unbindDead(dev));
                step(failures, () -> forget(dev));
            });
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            dev.teardownThread = null;
            core.outbox.drain(); // REMOVE and UNBIND leave before anyone waiting for the removal goes on
            dev.removed.complete(null);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                first.addSuppressed(failures.get(i));
            }
            CoreImpl.LOG.log(Level.ERROR, dev.name + ": teardown: " + first.getMessage(), first);
            throw first;
        }
    }

    private static void step(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private void unbindDead(DeviceImpl dev) {
        dev.lock.lock();
        try {
            Driver d = dev.driver;
            if (d != null) {
                core.probing.detach(dev, d);
            }
        } finally {
            dev.lock.unlock();
        }
    }

    private void forget(DeviceImpl dev) {
        core.names.locked(t -> {
            t.remove(dev);
            return null;
        });
        if (dev.parent != null) {
            dev.parent.children.remove(dev);
        }
        core.outbox.add(DeviceEvents.REMOVE, dev.eventProperties(null));
    }
}
