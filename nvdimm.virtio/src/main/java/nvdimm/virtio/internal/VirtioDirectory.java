package nvdimm.virtio.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

    /** One device's claim. */
    record Claim(String name, Path path, long base, long span) {
    }

    private final Mutex lock;
    private final List<Claim> claims = new ArrayList<>(); // guarded by lock

    @Activate
    public VirtioDirectory(@Reference Lockdep lockdep) {
        lockdep.register(LOCK);
        this.lock = lockdep.newMutex(LOCK);
    }

    /**
     * Claims the device's name and file and a window for its region.
     *
     * @throws NvdimmException EBUSY naming the device that has the name or the file already
     */
    Claim claim(VirtioSpec spec) {
        lock.lock();
        try {
            for (Claim c : claims) {
                if (c.name().equals(spec.name())) {
                    throw new NvdimmException(Errno.EBUSY, spec.source() + ": the device name " + spec.name()
                            + " is in use by another configuration");
                }
                if (c.path().equals(spec.path())) {
                    throw new NvdimmException(Errno.EBUSY, spec.source() + ": " + spec.path()
                            + " is the backing file of virtio-pmem device " + c.name());
                }
            }
            long span = (spec.size() + WINDOW - 1) / WINDOW * WINDOW;
            List<Claim> byBase = new ArrayList<>(claims);
            byBase.sort(Comparator.comparingLong(Claim::base));
            long base = SPA_BASE;
            for (Claim c : byBase) {
                if (base + span <= c.base()) {
                    break;
                }
                base = Math.max(base, c.base() + c.span());
            }
            Claim claim = new Claim(spec.name(), spec.path(), base, span);
            claims.add(claim);
            return claim;
        } finally {
            lock.unlock();
        }
    }

    void release(Claim claim) {
        lock.lock();
        try {
            claims.remove(claim);
        } finally {
            lock.unlock();
        }
    }
}
