package nvdimm.namespace.internal;

import java.lang.foreign.MemorySegment;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;

/**
 * The raw pmem disk of a namespace ({@code pmemN}, {@code pmemN.M}; Linux's pmem.c): sector I/O straight
 * between the caller's segment and the region's medium at the namespace's offset, without an
 * intermediate buffer or an allocation per call. Writes persist before they return; a write over bad
 * blocks clears them through the provider first (pmem's {@code pmem_clear_poison}); a read of one fails
 * with EIO without touching the media.
 */
final class RawDisk implements BlockDevice {
    private final String name;
    private final NamespaceImpl namespace;
    private final Region region;
    private final Medium medium;
    private final int sectorSize;
    private final long sectors;

    RawDisk(String name, NamespaceImpl namespace, int sectorSize) {
        this.name = name;
        this.namespace = namespace;
        this.region = namespace.region();
        this.medium = region.medium();
        this.sectorSize = sectorSize;
        this.sectors = namespace.size() / sectorSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public long sectors() {
        return sectors;
    }

    /** The region offset of the transfer, after the checks every transfer passes. */
    private long at(String what, long sector, long bytes) {
        if (bytes <= 0 || bytes % sectorSize != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + what + " of " + bytes
                    + " bytes is not a positive multiple of the sector size " + sectorSize);
        }
        long count = bytes / sectorSize;
        if (sector < 0 || sector > sectors - count) {
            throw new NvdimmException(Errno.ENXIO, name + ": " + what + " of " + count + " sectors at sector " + sector
                    + " is beyond the device's " + sectors + " sectors");
        }
        if (!namespace.isActive()) {
            throw new NvdimmException(Errno.ENXIO, name + ": " + what + ": the device is gone");
        }
        return namespace.regionOffset() + sector * sectorSize;
    }

    @Override
    public void read(long sector, MemorySegment dst) {
        long len = dst.byteSize();
        long at = at("read", sector, len);
        if (namespace.isBadAt(at, len)) {
            throw new NvdimmException(Errno.EIO, name + ": read at sector " + sector + " touches a bad block");
        }
        medium.read(at, dst, 0, len);
    }

    @Override
    public void write(long sector, MemorySegment src) {
        long len = src.byteSize();
        long at = at("write", sector, len);
        if (namespace.isBadAt(at, len)) {
            region.clearErrors(at, len);
            if (namespace.isBadAt(at, len)) {
                throw new NvdimmException(Errno.EIO, name + ": write at sector " + sector
                        + ": the provider did not clear its bad blocks");
            }
        }
        medium.write(at, src, 0, len);
        medium.persist(at, len);
    }

    @Override
    public void flush() {
        if (!namespace.isActive()) {
            throw new NvdimmException(Errno.ENXIO, name + ": flush: the device is gone");
        }
        region.flush();
    }

    @Override
    public List<Badblocks.Range> badblocks() {
        return namespace.badblocks();
    }

    @Override
    public boolean isActive() {
        return namespace.isActive();
    }

    @Override
    public String toString() {
        return "BlockDevice[" + name + "]";
    }
}
