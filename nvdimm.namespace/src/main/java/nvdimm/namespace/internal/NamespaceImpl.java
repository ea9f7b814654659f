package nvdimm.namespace.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Device;
import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Claim;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;

/**
 * One binding of a namespace device to the namespace driver: byte I/O for metadata (Linux's
 * {@code nsio_rw_bytes}), the claim, and the raw disk, which is registered while the namespace is
 * bound and unclaimed. The claim and the disk's registration change together under the namespace's
 * {@link NamespaceLocks#DISK} lock, so a claim returns only once the raw disk is withdrawn. The lock is held
 * across the disk's registration and withdrawal (framework calls, never under a device lock): a synchronous
 * listener of {@code BlockDevice} services must not claim the namespace from inside the event.
 */
final class NamespaceImpl implements Namespace {
    private final NamespaceEntry entry;
    private final NamespaceConfig config;
    private final Device device;
    private final Region region;
    /** The region's list; populated before any namespace of the binding is registered, the same for its life. */
    private final Badblocks regionBadblocks;
    private final Medium medium;
    private final long base;
    private final long size;
    private final RawDisk disk;
    private final DiskPublisher publisher;
    private final Mutex lock;

    private volatile boolean active = true;
    /** Guarded by {@link #lock}. */
    private volatile String holder;
    /** Guarded by {@link #lock}. */
    private DiskPublisher.Registration registration;
    /** Guarded by {@link #lock}: the device's services are withdrawn, the disk may not come back. */
    private boolean withdrawn;

    NamespaceImpl(NamespaceEntry entry, Device device, Region region, DiskPublisher publisher, Lockdep lockdep) {
        this.entry = entry;
        this.config = entry.config;
        this.device = device;
        this.region = region;
        this.medium = region.medium();
        this.regionBadblocks = region.badblocks();
        this.base = config.offset();
        this.size = config.size();
        this.publisher = publisher;
        this.lock = lockdep.newMutex(NamespaceLocks.DISK);
        this.disk = new RawDisk(entry.diskName(), this, config.lbaSize());
    }

    // ------------------------------------------------------------------ description

    @Override
    public String name() {
        return entry.name;
    }

    @Override
    public String diskName() {
        return entry.diskName();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public boolean labeled() {
        return config.labeled();
    }

    @Override
    public Optional<UUID> uuid() {
        return config.uuid();
    }

    @Override
    public Optional<String> altName() {
        return config.name();
    }

    @Override
    public long regionOffset() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int lbaSize() {
        return config.lbaSize();
    }

    @Override
    public ClaimClass claimClass() {
        return config.labeled() ? config.claimClass() : ClaimClass.NONE;
    }

    @Override
    public Optional<String> labelVersion() {
        return config.labeled() ? Optional.of(entry.region.labels.version()) : Optional.empty();
    }

    @Override
    public NamespaceMode mode() {
        return entry.mode();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public List<Badblocks.Range> badblocks() {
        return clip(regionBadblocks.ranges(), base, size);
    }

    /** Region sectors clipped to {@code [base, base + size)} and made relative to {@code base}. */
    static List<Badblocks.Range> clip(List<Badblocks.Range> ranges, long base, long size) {
        long first = base / Badblocks.SECTOR_SIZE;
        long end = Math.ceilDiv(base + size, Badblocks.SECTOR_SIZE);
        List<Badblocks.Range> out = new ArrayList<>();
        for (Badblocks.Range r : ranges) {
            long s = Math.max(r.sector(), first);
            long e = Math.min(r.end(), end);
            if (e > s) {
                out.add(new Badblocks.Range(s - first, e - s));
            }
        }
        return out;
    }

    RawDisk disk() {
        return disk;
    }

    // ------------------------------------------------------------------ byte I/O (nsio_rw_bytes)

    /** Refuses a range outside the namespace or a disabled namespace; returns the region offset. */
    long check(String what, long offset, long length) {
        if (offset < 0) {
            throw new NvdimmException(Errno.EINVAL, entry.name + ": " + what + " at negative offset " + offset);
        }
        if (length > size || offset > size - length) {
            throw new NvdimmException(Errno.ENXIO, entry.name + ": " + what + " of " + length + " bytes at " + offset
                    + " is beyond the namespace's " + size + " bytes");
        }
        if (!active) {
            throw new NvdimmException(Errno.ENXIO, entry.name + ": " + what + ": the namespace is disabled");
        }
        return base + offset;
    }

    /** Whether a sector under {@code [at, at + length)} of the region is bad. */
    boolean isBadAt(long at, long length) {
        if (length <= 0 || regionBadblocks.ranges().isEmpty()) { // the common case: one volatile read
            return false;
        }
        long first = at / Badblocks.SECTOR_SIZE;
        long end = (at + length + Badblocks.SECTOR_SIZE - 1) / Badblocks.SECTOR_SIZE;
        return regionBadblocks.isBad(first, end - first);
    }

    @Override
    public boolean isBad(long offset, long length) {
        if (offset < 0 || length <= 0) {
            return false;
        }
        return isBadAt(base + offset, Math.min(length, Math.max(0, size - offset)));
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        read(offset, dst, 0, dst.byteSize());
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        checkSegment("read", dst, dstOffset, len);
        long at = check("read", offset, len);
        if (isBadAt(at, len)) {
            throw new NvdimmException(Errno.EIO, entry.name + ": read of " + len + " bytes at " + offset
                    + " touches a bad block");
        }
        medium.read(at, dst, dstOffset, len);
    }

    @Override
    public void write(long offset, MemorySegment src, boolean atomic) {
        write(offset, src, 0, src.byteSize(), atomic);
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len, boolean atomic) {
        checkSegment("write", src, srcOffset, len);
        long at = check("write", offset, len);
        boolean bad = isBadAt(at, len);
        if (bad && !atomic && offset % Badblocks.SECTOR_SIZE == 0 && len % Badblocks.SECTOR_SIZE == 0) {
            region.clearErrors(at, len);
            bad = isBadAt(at, len);
        }
        medium.write(at, src, srcOffset, len);
        medium.persist(at, len);
        if (bad) {
            throw new NvdimmException(Errno.EIO, entry.name + ": write of " + len + " bytes at " + offset
                    + " is on the media but covers bad blocks that were not cleared"
                    + (atomic ? " (atomic write)" : " (not 512-byte aligned)"));
        }
    }

    @Override
    public int readInt(long offset) {
        long at = checkAtomic("read", offset, Integer.BYTES);
        return medium.readInt(at);
    }

    @Override
    public long readLong(long offset) {
        long at = checkAtomic("read", offset, Long.BYTES);
        return medium.readLong(at);
    }

    @Override
    public void writeInt(long offset, int value) {
        long at = check("write", offset, Integer.BYTES);
        medium.writeInt(at, value);
        medium.persist(at, Integer.BYTES);
        atomicStoreDone(offset, at, Integer.BYTES);
    }

    @Override
    public void writeLong(long offset, long value) {
        long at = check("write", offset, Long.BYTES);
        medium.writeLong(at, value);
        medium.persist(at, Long.BYTES);
        atomicStoreDone(offset, at, Long.BYTES);
    }

    /** The checks of an atomic load; EIO for a bad block. */
    private long checkAtomic(String what, long offset, int bytes) {
        long at = check(what, offset, bytes);
        if (isBadAt(at, bytes)) {
            throw new NvdimmException(Errno.EIO, entry.name + ": " + bytes + "-byte " + what + " at " + offset
                    + " touches a bad block");
        }
        return at;
    }

    /** After an atomic store (nothing cleared): EIO when it covers a bad block, the value on the media. */
    private void atomicStoreDone(long offset, long at, int bytes) {
        if (isBadAt(at, bytes)) {
            throw new NvdimmException(Errno.EIO, entry.name + ": " + bytes + "-byte atomic write at " + offset
                    + " is on the media but covers a bad block that was not cleared");
        }
    }

    /** Refuses a segment range outside {@code segment}, with EINVAL naming the namespace. */
    private void checkSegment(String what, MemorySegment segment, long from, long len) {
        if (from < 0 || len < 0 || from > segment.byteSize() - len) {
            throw new NvdimmException(Errno.EINVAL, entry.name + ": " + what + " of segment range " + from + " + "
                    + len + " outside a segment of " + segment.byteSize() + " bytes");
        }
    }

    @Override
    public void flush() {
        if (!active) {
            throw new NvdimmException(Errno.ENXIO, entry.name + ": flush: the namespace is disabled");
        }
        region.flush();
    }

    // ------------------------------------------------------------------ claims and the raw disk

    @Override
    public Claim claim(String holder) {
        Objects.requireNonNull(holder, "holder");
        lock.lock();
        try {
            if (!active || withdrawn) {
                throw new NvdimmException(Errno.ENXIO, entry.name + ": cannot be claimed by " + holder
                        + ": the namespace is disabled");
            }
            if (this.holder != null) {
                throw new NvdimmException(Errno.EBUSY, entry.name + ": claimed by " + this.holder
                        + ", not available to " + holder);
            }
            this.holder = holder;
            withdrawDisk();
        } finally {
            lock.unlock();
        }
        return new HeldClaim(holder);
    }

    @Override
    public Optional<String> claimedBy() {
        return Optional.ofNullable(holder);
    }

    /**
     * Registers the raw disk unless claimed, withdrawn, registered, or the namespace is in another mode (its
     * labels' claim class or its metadata say BTT): Linux never exposes such a namespace raw, since a raw
     * write would corrupt the BTT, and neither does this when the BTT bundle is absent. No device lock may
     * be held.
     */
    void publishDisk() {
        if (entry.mode() != NamespaceMode.RAW) {
            return;
        }
        lock.lock();
        try {
            if (active && !withdrawn && holder == null && registration == null) {
                registration = publisher.publish(disk, diskProperties());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The device's services are going: the disk goes first and does not come back for this binding. */
    void withdrawForGood() {
        lock.lock();
        try {
            withdrawn = true;
            withdrawDisk();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the raw disk is registered now. */
    boolean diskPublished() {
        lock.lock();
        try {
            return registration != null;
        } finally {
            lock.unlock();
        }
    }

    private void withdrawDisk() {
        DiskPublisher.Registration r = registration;
        registration = null;
        if (r != null) {
            r.withdraw();
        }
    }

    private Map<String, Object> diskProperties() {
        return Map.of(BlockDevice.SERVICE_NAME, disk.name(), Device.SERVICE_DEV, device.name(), Device.SERVICE_BUS,
                device.bus().name(), Device.SERVICE_TYPE, device.type().devtype());
    }

    /** The driver's remove (device lock held): operations fail with ENXIO from now on. */
    void deactivate() {
        active = false;
    }

    private final class HeldClaim implements Claim {
        private final String name;
        private boolean open = true;

        HeldClaim(String name) {
            this.name = name;
        }

        @Override
        public Namespace namespace() {
            return NamespaceImpl.this;
        }

        @Override
        public String holder() {
            return name;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!open) {
                    return;
                }
                open = false;
                holder = null;
            } finally {
                lock.unlock();
            }
            publishDisk();
        }
    }

    @Override
    public String toString() {
        return "Namespace[" + entry.name + (active ? "" : ", disabled") + "]";
    }
}
