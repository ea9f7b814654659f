package nvdimm.virtio.internal.host;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.function.LongSupplier;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * The virtio-pmem host: worker threads that answer guest flush requests with a real force of the
 * backing file.
 *
 * <p>Unlike QEMU (one {@code fsync} per request), concurrent requests are coalesced: a worker takes
 * every pending request as one batch, under the lock, and only then starts one force for the batch. So
 * each force starts after the submission of every request it acknowledges, and a request submitted
 * while a force runs waits for a later force. With one worker, a burst of N requests during a force
 * costs one more force, not N.
 *
 * <p>No one waits forever: {@link #close()} fails every request no worker has taken, lets each worker
 * answer the batch it holds (cutting short injected delays), and returns when the workers are gone;
 * requests submitted after close fail at once. Every request is answered exactly once.
 */
public final class HostBackend implements AutoCloseable {
    /** The host's non-zero status: the guest turns any failure into {@code EIO}. */
    public static final int FAILED = Errno.EIO.code();

    private final String name;
    private final Forcer forcer;
    private final HostFaults faults;
    private final Mutex lock;
    /** Idle workers: pending requests, a fault change, or close. */
    private final Condition work;
    /** Workers in an injected delay: close or a fault change. */
    private final Condition timer;
    private final ArrayDeque<HostRequest> pending; // guarded by lock
    private boolean closed; // guarded by lock
    private int sleeping; // workers waiting on work (a submit signals only then), guarded by lock
    private final Thread[] workers;
    // Made once: a bound method reference per force would allocate on the data path.
    private final LongSupplier delayMillis;
    private final LongSupplier lateMillis;

    private final LongAdder submitted = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder forces = new LongAdder();

    /**
     * @param name the device's name, in thread names and failure messages
     * @param threads how many forces may run at once (at least 1); one coalesces best
     * @param queueSize the guest's queue size: the pending queue's initial capacity
     */
    public HostBackend(String name, Forcer forcer, int threads, int queueSize, HostFaults faults,
            Lockdep lockdep) {
        this.name = Objects.requireNonNull(name, "name");
        this.forcer = Objects.requireNonNull(forcer, "forcer");
        this.faults = Objects.requireNonNull(faults, "faults");
        if (threads < 1) {
            throw new NvdimmException(Errno.EINVAL, "virtio-pmem host " + name + ": host.threads " + threads
                    + " is not at least 1");
        }
        if (queueSize < 1) {
            throw new NvdimmException(Errno.EINVAL, "virtio-pmem host " + name + ": queue.size " + queueSize
                    + " is not at least 1");
        }
        HostLocks.register(lockdep);
        this.lock = lockdep.newMutex(HostLocks.HOST);
        this.work = lock.newCondition();
        this.timer = lock.newCondition();
        this.pending = new ArrayDeque<>(queueSize);
        this.delayMillis = faults::delayMillis;
        this.lateMillis = faults::lateMillis;
        faults.attach("virtio-pmem host " + name, this::faultsChanged);
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "virtio-pmem-host-" + name + "-" + i);
            t.setDaemon(true);
            workers[i] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    public String name() {
        return name;
    }

    public HostFaults faults() {
        return faults;
    }

    /** Queues a flush; {@code request} is answered exactly once (at once, failed, if the host is closed). */
    public void submit(HostRequest request) {
        Objects.requireNonNull(request, "request");
        lock.lock();
        try {
            if (!closed) {
                submitted.increment();
                pending.addLast(request);
                if (sleeping > 0) {
                    work.signal();
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        submitted.increment();
        answer(request, FAILED, closedFailure());
    }

    /** Queues a flush; the stage completes when the host acknowledges it, or fails with the host's failure. */
    public CompletableFuture<Void> submit() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit((status, failure) -> {
            if (status == 0) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** Requests submitted so far (including those failed because the host was closed). */
    public long submitted() {
        return submitted.sum();
    }

    /** Requests answered with status 0. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Requests answered with a failure. */
    public long failed() {
        return failed.sum();
    }

    /** Forces of the backing file started so far. */
    public long forces() {
        return forces.sum();
    }

    /** Requests no worker has taken yet. */
    public int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails every request no worker has taken, has each worker answer the batch it holds, and waits for the
     * workers to end (a force already running is waited for: it is the only thing that can acknowledge its
     * batch). Idempotent.
     */
    @Override
    public void close() {
        List<HostRequest> orphans;
        lock.lock();
        try {
            closed = true;
            orphans = new ArrayList<>(pending);
            pending.clear();
            work.signalAll();
            timer.signalAll();
        } finally {
            lock.unlock();
        }
        if (!orphans.isEmpty()) {
            NvdimmException failure = closedFailure();
            for (HostRequest r : orphans) {
                answer(r, FAILED, failure);
            }
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) {
                continue;
            }
            for (;;) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "virtio-pmem host " + name + " (" + workers.length + " threads, " + forces() + " forces for "
                + submitted() + " flushes)";
    }

    private void run() {
        ArrayList<HostRequest> batch = new ArrayList<>();
        for (;;) {
            lock.lock();
            try {
                while (!closed && (pending.isEmpty() || faults.silent())) {
                    sleeping++;
                    try {
                        work.awaitUninterruptibly();
                    } finally {
                        sleeping--;
                    }
                }
                if (closed) {
                    return;
                }
                // The batch is fixed before its force starts: what arrives from now on waits for a later one.
                for (HostRequest r; (r = pending.pollFirst()) != null;) {
                    batch.add(r); // not addAll: that copies into a new array per batch
                }
            } finally {
                lock.unlock();
            }
            forceAndAnswer(batch);
            batch.clear();
        }
    }

    private void forceAndAnswer(List<HostRequest> batch) {
        if (!pause(delayMillis)) {
            failAll(batch, closedFailure());
            return;
        }
        NvdimmException failure = forceOnce();
        if (faults.silent() && requeue(batch)) {
            return;
        }
        pause(lateMillis);
        for (int i = 0, n = batch.size(); i < n; i++) {
            HostRequest r = batch.get(i);
            if (failure != null) {
                answer(r, FAILED, failure);
            } else if (faults.takeFailure()) {
                answer(r, FAILED, new NvdimmException(Errno.EIO, "virtio-pmem host " + name
                        + ": flush failed by injection (fail-flush)"));
            } else {
                answer(r, 0, null);
            }
        }
    }

    private NvdimmException forceOnce() {
        forces.increment();
        try {
            forcer.force();
            return null;
        } catch (IOException e) {
            return new NvdimmException(Errno.EIO, "virtio-pmem host " + name + ": force of the backing file failed: "
                    + e.getMessage(), e);
        } catch (NvdimmException e) {
            return e;
        } catch (RuntimeException e) {
            // A broken forcer must not leave its batch unanswered; the guest still sees only the host's failure.
            return new NvdimmException(Errno.EIO, "virtio-pmem host " + name + ": force of the backing file threw "
                    + e, e);
        }
    }

    /**
     * Waits {@code millis()} (re-read on every fault change, so a cleared fault ends the wait).
     *
     * @return false if the host was closed first
     */
    private boolean pause(LongSupplier millis) {
        long ms = millis.getAsLong();
        if (ms == 0) {
            return true;
        }
        long start = System.nanoTime();
        lock.lock();
        try {
            for (;;) {
                if (closed) {
                    return false;
                }
                long left = TimeUnit.MILLISECONDS.toNanos(millis.getAsLong()) - (System.nanoTime() - start);
                if (left <= 0) {
                    return true;
                }
                try {
                    timer.awaitNanos(left);
                } catch (InterruptedException e) {
                    // Nobody interrupts the host's own workers; keep the flag and end the wait.
                    Thread.currentThread().interrupt();
                    return !closed;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts a forced but unanswered batch back at the head (a silent host); false if closed meanwhile. */
    private boolean requeue(List<HostRequest> batch) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            for (int i = batch.size() - 1; i >= 0; i--) {
                pending.addFirst(batch.get(i));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void failAll(List<HostRequest> batch, NvdimmException failure) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            answer(batch.get(i), FAILED, failure);
        }
    }

    private void answer(HostRequest r, int status, NvdimmException failure) {
        if (status == 0) {
            acknowledged.increment();
        } else {
            failed.increment();
        }
        try {
            r.hostDone(status, failure);
        } catch (RuntimeException e) {
            // Reported, and the other requests of the batch are still answered.
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    private void faultsChanged() {
        lock.lock();
        try {
            work.signalAll();
            timer.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private NvdimmException closedFailure() {
        return new NvdimmException(Errno.EIO, "virtio-pmem host " + name + " is closed: flush not performed");
    }
}
