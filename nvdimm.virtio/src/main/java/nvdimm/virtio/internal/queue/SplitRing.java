package nvdimm.virtio.internal.queue;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * The split-ring semantics that matter for virtio-pmem: {@code size} descriptor chains (one per
 * request, out + in), an available ring the guest fills and the device consumes, a used ring the device
 * fills and the guest reclaims. The guest calls {@link #add}, {@link #getUsed}, {@link #detachUnused}
 * under its {@code pmem_lock}; the device calls {@link #popAvailable} and {@link #pushUsed} from its own
 * thread. A broken ring refuses adds with {@code EIO}, as {@code virtqueue_add} does.
 */
public final class SplitRing {
    private static final int UNUSED = 0;
    private static final int AVAILABLE = 1;
    private static final int WITH_DEVICE = 2;
    private static final int USED = 3;

    private final String owner;
    private final Mutex lock;
    private final FlushRequest[] tokens;
    private final int[] state;
    private final int[] freeHeads;
    private int freeCount;
    private final int[] avail;
    private int availHead;
    private int availCount;
    private final int[] used;
    private int usedHead;
    private int usedCount;
    private volatile boolean broken;

    SplitRing(String owner, Lockdep lockdep, int size) {
        if (size < 1 || size > 32768 || Integer.bitCount(size) != 1) {
            throw new NvdimmException(Errno.EINVAL, owner + ": queue size " + size + " is not a power of 2 in 1..32768");
        }
        this.owner = owner;
        this.lock = lockdep.newMutex(QueueLocks.RING);
        this.tokens = new FlushRequest[size];
        this.state = new int[size];
        this.freeHeads = new int[size];
        for (int i = 0; i < size; i++) {
            freeHeads[i] = size - 1 - i;
        }
        this.freeCount = size;
        this.avail = new int[size];
        this.used = new int[size];
    }

    public int size() {
        return tokens.length;
    }

    /** Descriptor chains not free (available, with the device, or used and not reclaimed). */
    public int inUse() {
        lock.lock();
        try {
            return tokens.length - freeCount;
        } finally {
            lock.unlock();
        }
    }

    public boolean isBroken() {
        return broken;
    }

    /** Publishes {@code r} as the token of a free chain: {@code ENOSPC} when none is free, {@code EIO} when broken. */
    void add(FlushRequest r) {
        lock.lock();
        try {
            if (broken) {
                throw new NvdimmException(Errno.EIO, owner + ": virtqueue is broken");
            }
            if (freeCount == 0) {
                throw new NvdimmException(Errno.ENOSPC, owner + ": no free slots in the virtqueue");
            }
            int head = freeHeads[--freeCount];
            tokens[head] = r;
            state[head] = AVAILABLE;
            avail[(availHead + availCount++) % avail.length] = head;
        } finally {
            lock.unlock();
        }
    }

    /** Reclaims one used chain and returns its token, or null when the used ring is empty. */
    FlushRequest getUsed() {
        lock.lock();
        try {
            if (usedCount == 0) {
                return null;
            }
            int head = used[usedHead];
            usedHead = (usedHead + 1) % used.length;
            usedCount--;
            return reclaim(head);
        } finally {
            lock.unlock();
        }
    }

    /** Takes back one chain the device has not returned (available or with the device), or null. */
    FlushRequest detachUnused() {
        lock.lock();
        try {
            for (int head = 0; head < tokens.length; head++) {
                if (state[head] == AVAILABLE || state[head] == WITH_DEVICE) {
                    if (state[head] == AVAILABLE) {
                        removeFromAvail(head);
                    }
                    return reclaim(head);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    void markBroken() {
        broken = true;
    }

    /** Device side: the next chain the guest made available, or -1. */
    public int popAvailable() {
        lock.lock();
        try {
            if (availCount == 0) {
                return -1;
            }
            int head = avail[availHead];
            availHead = (availHead + 1) % avail.length;
            availCount--;
            state[head] = WITH_DEVICE;
            return head;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Device side: writes {@code status} into the chain's in buffer and puts it on the used ring. False
     * (nothing written) when the chain is no longer with the device: detached by a drain, or a late
     * answer to a ring that was reset.
     */
    public boolean pushUsed(int head, int status) {
        lock.lock();
        try {
            if (head < 0 || head >= tokens.length || state[head] != WITH_DEVICE) {
                return false;
            }
            tokens[head].hostStatus = status;
            state[head] = USED;
            used[(usedHead + usedCount++) % used.length] = head;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private FlushRequest reclaim(int head) {
        FlushRequest r = tokens[head];
        tokens[head] = null;
        state[head] = UNUSED;
        freeHeads[freeCount++] = head;
        return r;
    }

    private void removeFromAvail(int head) {
        int n = availCount;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int h = avail[(availHead + i) % avail.length];
            if (h != head) {
                avail[(availHead + kept++) % avail.length] = h;
            }
        }
        availCount = kept;
    }
}
