package nvdimm.virtio.internal.queue;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * The guest driver of one virtio-pmem device ({@code virtio_pmem.c} + {@code nd_virtio.c} after the
 * 2026 series): {@link #flush()}, the interrupt handler {@link #interrupt()}, the broken state and
 * freeze/restore.
 */
public final class VirtioPmemQueue {
    private final String name;
    private final Lockdep lockdep;
    private final VirtioDevice device;
    private final Protections protections;
    private final int queueSize;
    private final Mutex pmemLock;
    private final RequestPool pool;
    private final SpaceWaiters waiters;
    private SplitRing ring;
    /** Read without the lock at flush entry and in wait loops; written under {@code pmem_lock}. */
    private volatile boolean broken;

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong doubleCompletions = new AtomicLong();
    private final AtomicLong breaks = new AtomicLong();

    /**
     * @param name the device's name in messages
     * @param queueSize descriptors in the ring, a power of 2
     * @param poolSize flush requests that may be in use at once; more get ENOMEM. A request can outlive
     *        its submitter by the queue's reference (5/7: the submitter sees {@code done} and leaves while
     *        the interrupt side is still finishing with it), at most one per descriptor, so
     *        {@code concurrent callers + queueSize} never runs out
     */
    public VirtioPmemQueue(String name, Lockdep lockdep, VirtioDevice device, int queueSize, int poolSize) {
        this(name, lockdep, device, queueSize, poolSize, Protections.SERIES_2026);
    }

    VirtioPmemQueue(String name, Lockdep lockdep, VirtioDevice device, int queueSize, int poolSize,
            Protections protections) {
        this.name = Objects.requireNonNull(name, "name");
        this.lockdep = lockdep;
        this.device = Objects.requireNonNull(device, "device");
        this.protections = protections;
        this.queueSize = queueSize;
        this.pmemLock = lockdep.newMutex(QueueLocks.PMEM);
        this.ring = new SplitRing(name, lockdep, queueSize);
        this.pool = new RequestPool(name, lockdep, poolSize);
        this.waiters = new SpaceWaiters(poolSize);
    }

    /**
     * Asks the host to make every write completed before this call durable, and waits for its answer.
     *
     * @throws NvdimmException EIO if the queue is broken (now or while waiting) or the host reported
     *         failure; ENOMEM when no request is free; EINTR if interrupted while waiting (the request
     *         stays with the queue until the host or a drain gives it back)
     */
    public void flush() {
        if (broken) {
            throw new NvdimmException(Errno.EIO, name + ": virtio pmem device needs a reset");
        }
        lockdep.mightSleep();
        FlushRequest req = pool.take();
        try {
            submit(req);
            awaitCompletion(req);
            if (req.drained()) {
                throw new NvdimmException(Errno.EIO, name + ": flush failed, the virtqueue broke");
            }
            if (req.hostStatus != 0) {
                throw new NvdimmException(Errno.EIO, name + ": host failed the flush (status " + req.hostStatus + ")");
            }
        } finally {
            pool.drop(req);
        }
    }

    private void submit(FlushRequest req) {
        pmemLock.lock();
        try {
            for (;;) {
                if (broken) {
                    throw new NvdimmException(Errno.EIO, name + ": virtio pmem device needs a reset");
                }
                try {
                    ring.add(req);
                    break;
                } catch (NvdimmException e) {
                    if (e.errno() != Errno.ENOSPC) {
                        markBrokenAndDrainLocked();
                        throw e;
                    }
                }
                awaitDescriptor(req);
            }
            if (protections.queueHoldsReference()) {
                req.refs.incrementAndGet();
            }
            submitted.incrementAndGet();
            if (!device.notify(ring)) {
                markBrokenAndDrainLocked();
                throw new NvdimmException(Errno.EIO, name + ": failed to send command to virtio pmem device (kick)");
            }
        } finally {
            pmemLock.unlock();
        }
    }

    /**
     * The ring is full: queue up FIFO, drop {@code pmem_lock}, sleep until given a descriptor or the
     * queue breaks, take the lock again. The waker unlinks us and publishes the flag under the lock,
     * then unparks; the park permit means no wake-up is lost between unlock and park.
     */
    private void awaitDescriptor(FlushRequest req) {
        waiters.enqueue(req);
        boolean interrupted = false;
        pmemLock.unlock();
        try {
            while (!req.bufAvail() && !broken) {
                LockSupport.park(this);
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            pmemLock.lock();
        }
        if (req.bufAvail()) {
            if (interrupted) {
                waiters.wakeFirst(); // the descriptor we were given goes to the next in line
            }
        } else {
            waiters.remove(req);
        }
        if (interrupted) {
            throw new NvdimmException(Errno.EINTR, name + ": interrupted waiting for a free descriptor");
        }
    }

    /** Sleeps without a lock until the request is done (the flag is volatile, 4/7); allocates nothing. */
    private void awaitCompletion(FlushRequest req) {
        while (!req.isDone()) {
            LockSupport.park(this);
            if (Thread.currentThread().isInterrupted() && !req.isDone()) {
                throw new NvdimmException(Errno.EINTR, name + ": interrupted waiting for the host's answer");
            }
        }
    }

    /** The virtqueue callback ({@code virtio_pmem_host_ack}): reclaims used chains; run by the device. */
    public void interrupt() {
        pmemLock.lock();
        try {
            FlushRequest r;
            while ((r = ring.getUsed()) != null) {
                protections.descriptorReclaimed(waiters);
                complete(r, false);
            }
        } finally {
            pmemLock.unlock();
        }
    }

    /** Marks the queue broken (a device that needs a reset); every waiter returns EIO. */
    public void markBroken() {
        pmemLock.lock();
        try {
            markBrokenAndDrainLocked();
        } finally {
            pmemLock.unlock();
        }
    }

    /**
     * Suspend (7/7): drains outstanding requests before the ring goes, then resets the device. Every
     * flush until {@link #restore()} fails with EIO at once.
     */
    public void freeze() {
        SplitRing old;
        pmemLock.lock();
        try {
            markBrokenAndDrainLocked();
            old = ring;
        } finally {
            pmemLock.unlock();
        }
        device.reset(old);
    }

    /** Resume: a new ring, not broken ({@code init_vq}). */
    public void restore() {
        SplitRing fresh = new SplitRing(name, lockdep, queueSize);
        pmemLock.lock();
        try {
            ring = fresh;
            broken = false;
        } finally {
            pmemLock.unlock();
        }
    }

    private void markBrokenAndDrainLocked() {
        if (!broken) {
            breaks.incrementAndGet();
        }
        broken = true;
        ring.markBroken();
        if (!protections.drainOnBreak()) {
            return;
        }
        waiters.wakeAll();
        FlushRequest r;
        while ((r = ring.getUsed()) != null) {
            complete(r, true);
        }
        while ((r = ring.detachUnused()) != null) {
            complete(r, true);
        }
    }

    /** Completes a token the ring gave back; called once per reclaimed chain, under pmem_lock. */
    private void complete(FlushRequest r, boolean byDrain) {
        pool.checkLive(r);
        if (++r.completions > 1) {
            doubleCompletions.incrementAndGet();
        }
        boolean ok = !byDrain && r.hostStatus == 0;
        (ok ? completed : failed).incrementAndGet();
        r.markDone(byDrain);
        LockSupport.unpark(r.submitter());
        protections.completionPublished(r);
        pool.checkLive(r);
        if (protections.queueHoldsReference()) {
            pool.drop(r);
        }
    }

    /** The ring in use now (the device answers on it). */
    public SplitRing ring() {
        pmemLock.lock();
        try {
            return ring;
        } finally {
            pmemLock.unlock();
        }
    }

    public boolean isBroken() {
        return broken;
    }

    public QueueStats stats() {
        pmemLock.lock();
        try {
            return new QueueStats(queueSize, ring.inUse(), waiters.size(), broken, pool.capacity(), pool.available(),
                    submitted.get(), completed.get(), failed.get(), doubleCompletions.get(),
                    pool.lifetimeViolations(), waiters.wakeups(), breaks.get());
        } finally {
            pmemLock.unlock();
        }
    }
}
