package nvdimm.virtio.internal.queue;

import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * A fixed set of flush requests made up front, so a flush allocates nothing. An empty pool is the
 * allocation failure of the driver: {@code ENOMEM}, which stays {@code ENOMEM} (patch 1/7).
 */
final class RequestPool {
    private final String owner;
    private final Mutex lock;
    private final FlushRequest[] all;
    private final FlushRequest[] free;
    private int freeCount;
    /** A drop that found the request already back in the pool: a use after recycle. */
    private final AtomicLong lifetimeViolations = new AtomicLong();

    RequestPool(String owner, Lockdep lockdep, int capacity) {
        if (capacity < 1) {
            throw new NvdimmException(Errno.EINVAL, owner + ": request pool capacity " + capacity + " is below 1");
        }
        this.owner = owner;
        this.lock = lockdep.newMutex(QueueLocks.POOL);
        this.all = new FlushRequest[capacity];
        this.free = new FlushRequest[capacity];
        for (int i = 0; i < capacity; i++) {
            all[i] = new FlushRequest(i);
            free[i] = all[i];
        }
        freeCount = capacity;
    }

    /** A request with one reference, the calling thread's; {@code ENOMEM} when every request is in use. */
    FlushRequest take() {
        lock.lock();
        try {
            if (freeCount == 0) {
                throw new NvdimmException(Errno.ENOMEM, owner + ": all " + all.length + " flush requests are in use");
            }
            FlushRequest r = free[--freeCount];
            free[freeCount] = null;
            r.reinit(Thread.currentThread());
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Drops one reference; the last one returns the request to the pool. */
    void drop(FlushRequest r) {
        int left = r.refs.decrementAndGet();
        if (left > 0) {
            return;
        }
        if (left < 0 || r.isFree()) {
            lifetimeViolations.incrementAndGet();
            return;
        }
        lock.lock();
        try {
            r.setFree();
            free[freeCount++] = r;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a touch of a request that is already back in the pool (the queue calls it before use). */
    void checkLive(FlushRequest r) {
        if (r.isFree()) {
            lifetimeViolations.incrementAndGet();
        }
    }

    int capacity() {
        return all.length;
    }

    int available() {
        lock.lock();
        try {
            return freeCount;
        } finally {
            lock.unlock();
        }
    }

    long lifetimeViolations() {
        return lifetimeViolations.get();
    }
}
