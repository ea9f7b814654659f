package nvdimm.namespace;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Device;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An enabled namespace ({@code namespaceR.N} bound to the namespace driver {@value #DRIVER}): a contiguous
 * part of a region, label-less ({@link nvdimm.bus.DeviceType#NAMESPACE_IO}, the whole region) or described
 * by labels on every DIMM of the region's interleave set ({@link nvdimm.bus.DeviceType#NAMESPACE_PMEM}).
 * Published as an OSGi service under {@code Namespace} while bound, with the device's service properties.
 * What BTTs (and any other claimer) build on: byte I/O for their metadata and a claim that keeps everyone
 * else off.
 *
 * <p>The description methods never fail and stay readable after the namespace is disabled; the operations
 * fail with ENXIO then ({@link #isActive()} false). No method may be called with a device lock held when
 * it does I/O or waits.
 */
@ProviderType
public interface Namespace {
    /** The namespace driver's name, as Linux shows it. */
    String DRIVER = "nd_pmem";

    /** The device name, {@code namespaceR.N}. */
    String name();

    /**
     * Its disk's name, Linux's {@code nvdimm_namespace_disk_name}: {@code pmemR} for index 0 (and io namespaces),
     * else {@code pmemR.N}; the raw disk's name, whether or not it is published. A BTT's sector device is this
     * name with an {@code s}.
     */
    String diskName();

    /** The namespace device. */
    Device device();

    /** The region the namespace lies in. */
    Region region();

    /** Whether labels describe it (false: the label-less io namespace spanning its region). */
    boolean labeled();

    /** The uuid from the labels; empty for a label-less namespace (a claimer may keep its own). */
    Optional<UUID> uuid();

    /** The name ({@code alt_name}) from the labels; empty when none was given or label-less. */
    Optional<String> altName();

    /** Where the namespace starts in its region (bytes). */
    long regionOffset();

    /** Bytes in the namespace. */
    long size();

    /** The label's {@code lbasize}, ndctl's {@code sector_size} of a raw namespace: 512 unless labels say otherwise. */
    int lbaSize();

    /** The claim class from the labels ({@link ClaimClass#NONE} for v1.1 labels and label-less namespaces). */
    ClaimClass claimClass();

    /**
     * The version of the label index the namespace's labels live under, {@code "1.1"} or {@code "1.2"};
     * empty for a label-less namespace. BTTs choose their on-media version from it.
     */
    Optional<String> labelVersion();

    /** The mode it is in now: {@link NamespaceMode#SECTOR} while a BTT claims it, else from the claim class. */
    NamespaceMode mode();

    /** Whether the namespace is still bound; false once disabled or removed. */
    boolean isActive();

    /**
     * The bad 512-byte sectors of the namespace: the region's, clipped to the namespace and made relative
     * to its start.
     */
    List<Badblocks.Range> badblocks();

    // ------------------------------------------------------------------ byte I/O (nsio_rw_bytes)

    /**
     * Reads {@code dst.byteSize()} bytes from {@code offset}, as Linux's {@code nsio_rw_bytes}: EIO, without
     * touching the media, when a sector of the range is a bad block.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative offset, ENXIO for a range past the end or
     *     a disabled namespace, EIO for a bad block or a medium fault
     */
    void read(long offset, MemorySegment dst);

    /**
     * Writes {@code src.byteSize()} bytes at {@code offset} and persists them, as {@code nsio_rw_bytes}: when
     * the range covers bad blocks, a write that is 512-byte aligned in offset and length and not
     * {@code atomic} clears them through the provider first and succeeds; any other writes the data and
     * then fails with EIO (the data is on the media, the bad blocks stay).
     *
     * @param atomic Linux's {@code NVDIMM_IO_ATOMIC}: the caller may not sleep, so no clear is attempted
     * @throws nvdimm.bus.NvdimmException as {@link #read}
     */
    void write(long offset, MemorySegment src, boolean atomic);

    /**
     * Reads {@code len} bytes from {@code offset} into {@code dst[dstOffset .. dstOffset+len)}, as
     * {@link #read(long, MemorySegment)} but without slicing: the allocation-free form a BTT's data path
     * uses.
     *
     * @throws nvdimm.bus.NvdimmException as {@link #read(long, MemorySegment)}; EINVAL for a range outside
     *     {@code dst} or a negative length
     * @since 0.2
     */
    void read(long offset, MemorySegment dst, long dstOffset, long len);

    /**
     * Writes {@code src[srcOffset .. srcOffset+len)} at {@code offset} and persists it, as
     * {@link #write(long, MemorySegment, boolean)} (the same bad-block rules) but without slicing.
     *
     * @throws nvdimm.bus.NvdimmException as {@link #write(long, MemorySegment, boolean)}; EINVAL for a range
     *     outside {@code src} or a negative length
     * @since 0.2
     */
    void write(long offset, MemorySegment src, long srcOffset, long len, boolean atomic);

    /**
     * Loads the little-endian int at a 4-byte aligned offset: single-copy atomic, acquire (a BTT's map
     * entry). EIO, without touching the media, when it lies on a bad block.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative or misaligned offset, ENXIO past the end or
     *     disabled, EIO for a bad block or a medium fault
     * @since 0.2
     */
    int readInt(long offset);

    /** The 8-byte form of {@link #readInt} (an 8-byte aligned offset). @since 0.2 */
    long readLong(long offset);

    /**
     * Stores a little-endian int at a 4-byte aligned offset, single-copy atomic with release semantics, and
     * persists it: an {@code NVDIMM_IO_ATOMIC} write, so no bad block is cleared; when the int lies on one
     * the value is on the media and the call fails with EIO afterwards, as {@code nsio_rw_bytes} does.
     *
     * @throws nvdimm.bus.NvdimmException as {@link #readInt}
     * @since 0.2
     */
    void writeInt(long offset, int value);

    /** The 8-byte form of {@link #writeInt} (an 8-byte aligned offset). @since 0.2 */
    void writeLong(long offset, long value);

    /**
     * Whether a 512-byte sector under {@code [offset, offset + length)} of the namespace is a known bad
     * block ({@code is_bad_pmem}); false for a length of 0. Never fails, allocates nothing when there are none.
     *
     * @since 0.2
     */
    boolean isBad(long offset, long length);

    /** The region's flush ({@link Region#flush()}): every persisted store is durable when it returns. */
    void flush();

    // ------------------------------------------------------------------ claims

    /**
     * Claims the namespace for {@code holder} (a BTT): the raw block device is withdrawn before this
     * returns, and stays withdrawn until the claim is released or the namespace goes. At most one holder.
     *
     * @param holder the claimer's name for messages and listings, e.g. {@code "btt0.0"}
     * @throws nvdimm.bus.NvdimmException EBUSY naming the holder when the namespace is claimed already;
     *     ENXIO when disabled
     */
    Claim claim(String holder);

    /** The current holder's name, if claimed. */
    Optional<String> claimedBy();
}
