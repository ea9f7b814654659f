package nvdimm.virtio.internal.queue;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * Linux's {@code req_list}: submitters waiting for a free descriptor, FIFO. Guarded by
 * {@code pmem_lock}. Made with room for every pooled request, so adding never allocates.
 */
final class SpaceWaiters {
    private final ArrayDeque<FlushRequest> list;
    private long wakeups;

    SpaceWaiters(int capacity) {
        list = new ArrayDeque<>(capacity);
    }

    void enqueue(FlushRequest r) {
        r.setBufAvail(false);
        list.addLast(r);
    }

    void remove(FlushRequest r) {
        list.remove(r);
    }

    /** Unlinks the first waiter before publishing its flag (4/7), then wakes it. */
    void wakeFirst() {
        FlushRequest r = list.pollFirst();
        if (r != null) {
            r.setBufAvail(true);
            LockSupport.unpark(r.submitter());
            wakeups++;
        }
    }

    void wakeAll() {
        while (!list.isEmpty()) {
            wakeFirst();
        }
    }

    int size() {
        return list.size();
    }

    long wakeups() {
        return wakeups;
    }
}
