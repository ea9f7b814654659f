package nvdimm.bus.internal.core;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.locks.Condition;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.WaitPoint;

/**
 * Device events in the order the changes happened. A change is queued where it happens, usually under
 * a device lock (queuing never blocks: the outbox's lock is a leaf). The queue is handed to the
 * publisher by one drainer at a time, holding no lock, so events leave in queue order and never from
 * under a device lock.
 *
 * <p>The promise: when {@link #drain()} returns on a thread that holds no device lock, every event
 * queued before the call has been posted, by this thread or by the drainer it waited for. A teardown
 * relies on it to post REMOVE and UNBIND before anyone waiting for the removal goes on. The wait is
 * validated as the wait point {@code nd_core.events}, whose work is the posting. On the drainer's own
 * thread (a publisher that drains again from inside a post) it returns at once: its outer loop posts
 * the rest.
 */
final class EventOutbox {
    private record Pending(String topic, Map<String, Object> properties) {
    }

    private final Publisher publisher;
    private final Mutex lock;
    private final Condition progress;
    private final WaitPoint posting;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Events queued and events posted since the start; guarded by lock. */
    private long queued;
    private long posted;
    /** The thread posting now, or null; guarded by lock. */
    private Thread drainer;

    EventOutbox(Lockdep lockdep, Publisher publisher) {
        this.publisher = publisher;
        this.lock = lockdep.newMutex(LockClasses.EVENTS);
        this.progress = lock.newCondition();
        this.posting = lockdep.newWaitPoint(LockClasses.EVENTS_POSTED);
    }

    void add(String topic, Map<String, Object> properties) {
        lock.lock();
        try {
            queue.add(new Pending(topic, properties));
            queued++;
        } finally {
            lock.unlock();
        }
    }

    /** Posts what is queued, unless this thread holds a device lock (its releaser drains later). */
    void drain() {
        if (DeviceLock.heldByCurrentThread() > 0) {
            return;
        }
        lock.lock();
        try {
            long target = queued;
            while (posted < target) {
                if (drainer == Thread.currentThread()) {
                    return;
                }
                if (drainer == null) {
                    postAll();
                } else {
                    lock.unlock();
                    try {
                        posting.beforeWait();
                    } finally {
                        lock.lock();
                    }
                    if (drainer != null && posted < target) {
                        progress.awaitUninterruptibly();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Posts until the queue is empty, as the drainer; lock held on entry and exit, not while posting. */
    private void postAll() {
        drainer = Thread.currentThread();
        try {
            Pending p;
            while ((p = queue.poll()) != null) {
                lock.unlock();
                try {
                    Pending e = p;
                    posting.work(() -> post(e));
                } finally {
                    lock.lock();
                    posted++;
                    progress.signalAll();
                }
            }
        } finally {
            drainer = null;
            progress.signalAll();
        }
    }

    private void post(Pending p) {
        try {
            publisher.post(p.topic(), p.properties());
        } catch (RuntimeException e) {
            CoreImpl.LOG.log(System.Logger.Level.WARNING, "posting " + p.topic() + " failed", e);
        }
    }
}
