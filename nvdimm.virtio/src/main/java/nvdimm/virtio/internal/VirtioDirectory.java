package nvdimm.virtio.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.LockClass;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The virtio-pmem devices of this framework: their names and backing files (one device each) and their
 * windows of system physical address space (disjoint, above the emulated buses' like QEMU's device memory
 * above RAM). A device claims its entry before its file is opened and releases it once the file is closed.
 */
@Component(service = VirtioDirectory.class, immediate = true)
public final class VirtioDirectory {

    /** Where the first device's window starts: 1 TiB. */
    static final long SPA_BASE = 1L << 40;
    static final long WINDOW = 1L << 30;
    private static final LockClass LOCK = LockClass.of("virtio_pmem.directory");

    /** One device's claim; {@code closing} once its device has begun to go. */
    static final class Claim {
        final String name;
        final Path path;
        final long base;
        final long span;
        boolean closing; // guarded by the directory's lock

        Claim(String name, Path path, long base, long span) {
            this.name = name;
            this.path = path;
            this.base = base;
            this.span = span;
        }
    }

    /**
     * How long a new device waits for a going one with its name or file: Declarative Services may activate
     * the configuration that replaces a deleted one while the old device is still closing its file.
     */
    static final long HANDOVER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Mutex lock;
    private final Condition released;
    private final List<Claim> claims = new ArrayList<>(); // guarded by lock

    @Activate
    public VirtioDirectory(@Reference Lockdep lockdep) {
        lockdep.register(LOCK);
        this.lock = lockdep.newMutex(LOCK);
        this.released = lock.newCondition();
    }

    /**
     * Claims the device's name and file and a window for its region.
     *
     * @throws NvdimmException EBUSY naming the device that has the name or the file already
     */
    Claim claim(VirtioSpec spec) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + HANDOVER_NANOS;
            for (Claim c = conflict(spec); c != null; c = conflict(spec)) {
                long left = deadline - System.nanoTime();
                if (!c.closing || left <= 0) {
                    throw new NvdimmException(Errno.EBUSY, spec.source() + ": " + (c.name.equals(spec.name())
                            ? "the device name " + spec.name() + " is in use by another configuration"
                            : spec.path() + " is the backing file of virtio-pmem device " + c.name)
                            + (c.closing ? " that is still closing" : ""));
                }
                released.awaitNanos(left);
            }
            long span = (spec.size() + WINDOW - 1) / WINDOW * WINDOW;
            List<Claim> byBase = new ArrayList<>(claims);
            byBase.sort(Comparator.comparingLong(c -> c.base));
            long base = SPA_BASE;
            for (Claim c : byBase) {
                if (base + span <= c.base) {
                    break;
                }
                base = Math.max(base, c.base + c.span);
            }
            Claim claim = new Claim(spec.name(), spec.path(), base, span);
            claims.add(claim);
            return claim;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, spec.source() + ": interrupted waiting for the device that had "
                    + spec.name() + " or " + spec.path() + " to close", e);
        } finally {
            lock.unlock();
        }
    }

    private Claim conflict(VirtioSpec spec) {
        for (Claim c : claims) {
            if (c.name.equals(spec.name()) || c.path.equals(spec.path())) {
                return c;
            }
        }
        return null;
    }

    /** The claim's device has begun to go: a successor with its name or file waits for its release. */
    void closing(Claim claim) {
        lock.lock();
        try {
            claim.closing = true;
        } finally {
            lock.unlock();
        }
    }

    void release(Claim claim) {
        lock.lock();
        try {
            claims.remove(claim);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
