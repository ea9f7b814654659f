package nvdimm.emul;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Attaches image files as buses, for {@code nvdimm:attach-image} and {@code nvdimm:detach-image}.
 *
 * <h2>Layout (QEMU's {@code -device nvdimm,label-size=N} over a memory-backend-file)</h2>
 * The whole file is the memory backend. Its last {@code N} bytes are the DIMM's label storage
 * area; its persistent memory is file offsets {@code [0, P)} with {@code P = (file size - N)}
 * rounded down to 4 KiB, the alignment of a memory-backend-file on an ordinary file system (the
 * host page size). DIMM physical address 0 is file offset 0. The file size must be a multiple of
 * 4 KiB (QEMU rounds a backend up to whole pages and refuses a file shorter than that).
 *
 * <h2>Label size detection ({@link LabelSize#AUTO})</h2>
 * QEMU keeps the label size on its command line, not in the file, so detection tries each
 * power of two from 128 KiB to 128 MiB that leaves at least 4 KiB of persistent memory, and
 * looks for a valid namespace index block (either of the two) at the start of that many bytes
 * from the end, validated as Linux does (signature, checksum, sequence, offsets, sizes, label
 * size 128 or 256). Exactly one candidate with a valid index gives that size; none gives no label
 * area (QEMU's label-size=0, and Linux's view of a label area without a valid index); more than
 * one is refused as ambiguous.
 *
 * <h2>Identity</h2>
 * The DIMM presents what QEMU gives the nvdimm in slot {@code s}: NFIT handle {@code s + 1},
 * physical id 0, serial number {@code 0x123456 + s}, vendor {@code 0x8086}, device 1, revision 1,
 * manufacturing location and date 0 and not marked valid (so the DIMM id is the short form a guest
 * shows, {@code 8680-56341200} for slot 0), one mapping at DPA 0 with region offset 0 and one way.
 * So the interleave-set cookie, and with it every label written here, matches a Linux guest that
 * attaches the same file in the same slot. As in QEMU, a slot holds one image at a time.
 *
 * <h2>Locking and poison</h2>
 * While attached, the file carries the byte-range locks QEMU's file-posix driver takes for a
 * writable image, so QEMU and {@code qemu-img} refuse it; they go at detach. Injected poison is kept
 * beside the file in {@code FILE.poison} while there is any, and comes back at the next attach.
 *
 * <h2>Refusals</h2>
 * Each refusal leaves the file and the running buses as they were: a missing file
 * ({@code ENOENT}), a directory ({@code EISDIR}), a file without write permission for anyone or
 * that cannot be opened for writing ({@code EACCES}, {@code EROFS}), a file already attached or in
 * use by a configured bus, a file another process uses (QEMU, {@code qemu-img} or another runtime,
 * seen through QEMU's own OFD byte-range locks), a slot taken by another attached image
 * ({@code EBUSY}), a platform without OFD locks here, that is other than Linux on x86_64 or aarch64
 * ({@code EOPNOTSUPP}), a corrupt poison list beside the file, a name already
 * taken ({@code EEXIST}), a label size from
 * 1 byte to 128 KiB - 1, a file size that is not a multiple of 4 KiB or too small for the label
 * area and 4 KiB of persistent memory, a slot outside 0..255, an ambiguous detection
 * ({@code EINVAL}).
 */
@ProviderType
public interface ImageAttacher {

    /** The QEMU nvdimm slots an image may claim: 0 to this - 1 (QEMU's maximum of memory slots). */
    int MAX_SLOTS = 256;

    /**
     * Attaches {@code file} as a new bus {@code emul.<name>} with one DIMM and one region.
     *
     * @param file the image; it must exist
     * @param labelSize {@link LabelSize#AUTO}, {@link LabelSize#NONE} or a size of at least 128 KiB
     * @param name the bus name, or {@code null} for the file name without its extension
     * @param slot the QEMU slot whose identity the DIMM presents (0 for the first nvdimm)
     * @return what was attached
     * @throws nvdimm.bus.NvdimmException as listed in the class description; nothing changed
     */
    AttachedImage attach(Path file, LabelSize labelSize, String name, int slot);

    /**
     * Opens an image that is not attached, for an offline tool such as {@code nvdimm:check-image}: the same
     * checks, locks, mapping and layout as {@link #attach} (label size detection included), but no bus. While
     * open, the file cannot be attached here nor opened by a QEMU.
     *
     * @param file the image; it must exist and be writable, as for {@link #attach}
     * @param labelSize {@link LabelSize#AUTO}, {@link LabelSize#NONE} or a size of at least 128 KiB
     * @throws nvdimm.bus.NvdimmException as {@link #attach} (EBUSY for a file attached or opened here)
     */
    OpenedImage open(Path file, LabelSize labelSize);

    /**
     * Takes the bus of an attached image down: unregisters it, syncs the file and unmaps it.
     *
     * @param nameOrFile the name, the provider name ({@code emul.<name>}) or the file's path
     * @return what was detached
     * @throws nvdimm.bus.NvdimmException ENOENT when no attached image matches, EINVAL for a bus
     *     that is configured rather than attached, EBUSY for one still being attached, EIO (or the
     *     file system's error) when the final sync failed, in which case the bus is down anyway
     */
    AttachedImage detach(String nameOrFile);

    /** The attached images, by provider name. */
    List<AttachedImage> attached();
}
