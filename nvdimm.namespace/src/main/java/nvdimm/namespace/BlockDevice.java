package nvdimm.namespace;

import java.lang.foreign.MemorySegment;
import java.util.List;

import nvdimm.region.Badblocks;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A block device: the raw pmem disk of a namespace ({@code pmemN}, {@code pmemN.M}), or a BTT's sector
 * device ({@code pmemNs}). Published as an OSGi service under {@code BlockDevice} with the service property
 * {@value #SERVICE_NAME} (and the device's {@link nvdimm.bus.Device} properties of the namespace or BTT it
 * sits on) while it can be used; its provider withdraws it before it stops working.
 *
 * <h2>Addresses</h2>
 * I/O is in whole sectors of {@link #sectorSize()} bytes (for a BTT with integrity metadata, 520, 528,
 * 4104, 4160 or 4224: the data bytes followed by the metadata bytes, as Linux stores them). A transfer
 * names its first sector and moves {@code segment.byteSize()} bytes, which must be a positive multiple of
 * the sector size. The segment forms copy straight between the caller's memory and the media: no
 * intermediate buffer, and no allocation per call on the devices this stack provides.
 *
 * <h2>Errors</h2>
 * Every failure is an {@link nvdimm.bus.NvdimmException} with the errno of the layer that failed:
 * EINVAL for a transfer that is not whole sectors or a read-only destination, ENXIO for one past the end
 * or a device that went away, EIO for a bad block (reads) or a medium fault; a refused transfer has not
 * touched the media. Methods may be called from any thread, concurrently; none may be called with a
 * device lock held (they may sleep).
 */
@ProviderType
public interface BlockDevice {
    /** Service property: the block device's name, e.g. {@code "pmem0"}. */
    String SERVICE_NAME = "nvdimm.blockdev";

    /** The name, as Linux's {@code /dev} entry: {@code pmem0}, {@code pmem0.1}, {@code pmem0s}. */
    String name();

    /** Bytes per sector (Linux's logical block size; for a BTT the external LBA size). */
    int sectorSize();

    /** How many sectors the device has. */
    long sectors();

    /** {@code sectors() * sectorSize()}. */
    default long size() {
        return sectors() * sectorSize();
    }

    /**
     * Reads {@code dst.byteSize()} bytes from sector {@code sector} on. Fails with EIO, filling nothing
     * reliable, when a sector of the range is a bad block.
     */
    void read(long sector, MemorySegment dst);

    /**
     * Writes {@code src.byteSize()} bytes from sector {@code sector} on, persisted when this returns (the
     * stores are in the medium's persistence domain; {@link #flush()} drains it to stable storage). A
     * write over bad blocks of a raw pmem device clears them first, as Linux's pmem driver does.
     */
    void write(long sector, MemorySegment src);

    /**
     * Reads into several segments in turn from sector {@code sector} on (a vectored read), each a whole
     * number of sectors; stops at the first failure. The default calls {@link #read} per segment.
     */
    default void read(long sector, MemorySegment[] dsts) {
        long at = sector;
        for (MemorySegment dst : dsts) {
            read(at, dst);
            at += dst.byteSize() / sectorSize();
        }
    }

    /** The vectored form of {@link #write}; see {@link #read(long, MemorySegment[])}. */
    default void write(long sector, MemorySegment[] srcs) {
        long at = sector;
        for (MemorySegment src : srcs) {
            write(at, src);
            at += src.byteSize() / sectorSize();
        }
    }

    /**
     * Makes every completed write durable (Linux's REQ_PREFLUSH: the region's flush, which drains; may
     * sleep).
     */
    void flush();

    /**
     * The bad 512-byte sectors of the device (Linux's {@code /sys/block/NAME/badblocks}), relative to the
     * device's start, in order, merged; empty for a device that hides them (a BTT remaps them).
     */
    List<Badblocks.Range> badblocks();

    /** Whether the device is still usable; false once withdrawn. */
    boolean isActive();
}
