package nvdimm.virtio.internal;

import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.NvdimmException;
import nvdimm.virtio.internal.host.HostBackend;
import nvdimm.virtio.internal.host.HostRequest;
import nvdimm.virtio.internal.queue.SplitRing;
import nvdimm.virtio.internal.queue.VirtioDevice;
import nvdimm.virtio.internal.queue.VirtioPmemQueue;

/**
 * The device end of one guest queue, played by a host backend: a kick hands every chain the guest made
 * available to the host; the host's answer goes into the used ring, then raises the queue's interrupt.
 *
 * <p>Each descriptor head has one answer object per ring, made when the ring is first kicked (not per
 * flush), so answering allocates nothing. A late answer to a ring that was reset holds that old ring and
 * is refused by it ({@link SplitRing#pushUsed} returns false): it can never complete a request of the
 * new ring that happens to use the same head.
 */
final class HostLink implements VirtioDevice {

    private final HostBackend host;
    private final AtomicInteger kickFailures = new AtomicInteger();
    private VirtioPmemQueue queue;
    /** The ring the answers below belong to; touched only in notify (under the queue's pmem_lock). */
    private SplitRing ring;
    private Answer[] answers;
    /** The thread inside notify, whose own inline answers (a closed host) must not re-enter the queue. */
    private volatile Thread notifier;

    /** Whether each ring gets answers of its own; false only in the negative control of a test. */
    private final boolean answersPerRing;

    HostLink(HostBackend host) {
        this(host, true);
    }

    HostLink(HostBackend host, boolean answersPerRing) {
        this.host = host;
        this.answersPerRing = answersPerRing;
    }

    /** The queue this device answers; set once, before the first flush. */
    void attach(VirtioPmemQueue queue) {
        this.queue = queue;
    }

    /** The next {@code count} kicks fail. */
    void failKicks(int count) {
        kickFailures.set(count);
    }

    int kickFailuresLeft() {
        return kickFailures.get();
    }

    @Override
    public boolean notify(SplitRing r) {
        if (takeKickFailure()) {
            return false;
        }
        if (r != ring) {
            if (answersPerRing || answers == null) {
                answers = new Answer[r.size()];
            } else {
                for (Answer a : answers) {
                    if (a != null) {
                        a.ring = r; // the bug the per-ring answers prevent: an old answer now names the new ring
                    }
                }
            }
            ring = r;
        }
        notifier = Thread.currentThread();
        try {
            for (int head; (head = r.popAvailable()) >= 0;) {
                Answer a = answers[head];
                if (a == null) {
                    a = answers[head] = new Answer(r, head);
                }
                host.submit(a);
            }
        } finally {
            notifier = null;
        }
        // A closed host answered inline and failed what it was given; the queue must not wait for an
        // interrupt that would re-enter it: a failed kick marks it broken and drains the used ring.
        return !host.isClosed();
    }

    @Override
    public void reset(SplitRing r) {
        // The host keeps answering what it took; those answers hold the old ring and are refused by it.
    }

    private boolean takeKickFailure() {
        for (;;) {
            int left = kickFailures.get();
            if (left == 0) {
                return false;
            }
            if (kickFailures.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    /** The host's answer for one head of one ring. */
    private final class Answer implements HostRequest {
        private SplitRing ring;
        private final int head;

        Answer(SplitRing ring, int head) {
            this.ring = ring;
            this.head = head;
        }

        @Override
        public void hostDone(int status, NvdimmException failure) {
            if (ring.pushUsed(head, status) && notifier != Thread.currentThread()) {
                queue.interrupt();
            }
        }
    }
}
