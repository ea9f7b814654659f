package nvdimm.virtio.internal.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A device the test drives by hand: it answers only when told, from the test's thread. */
final class ScriptedDevice implements VirtioDevice {
    VirtioPmemQueue queue;
    final AtomicInteger notifies = new AtomicInteger();
    volatile int failKicks;
    final List<SplitRing> resets = new ArrayList<>();
    /** Heads taken from the ring, oldest first. */
    final ArrayDeque<Integer> taken = new ArrayDeque<>();

    @Override
    public boolean notify(SplitRing ring) {
        notifies.incrementAndGet();
        synchronized (this) { // test double state only
            if (failKicks > 0) {
                failKicks--;
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void reset(SplitRing ring) {
        resets.add(ring);
    }

    /** Takes every available chain of the current ring; returns how many. */
    int take() {
        SplitRing ring = queue.ring();
        int n = 0;
        int head;
        while ((head = ring.popAvailable()) >= 0) {
            taken.addLast(head);
            n++;
        }
        return n;
    }

    /** Answers the oldest taken chain with {@code status} and raises the interrupt; false if the ring refused it. */
    boolean answerOldest(int status) {
        return answer(queue.ring(), taken.pollFirst(), status);
    }

    boolean answer(SplitRing ring, int head, int status) {
        boolean pushed = ring.pushUsed(head, status);
        queue.interrupt();
        return pushed;
    }
}
