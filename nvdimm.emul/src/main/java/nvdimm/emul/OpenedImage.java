package nvdimm.emul;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import nvdimm.bus.Medium;

/**
 * An image file opened for an offline tool ({@link ImageAttacher#open}), not attached: no bus, no DIMM, just
 * its bytes laid out as {@code attach-image} would lay them, with QEMU's locks held so nobody attaches or boots
 * it meanwhile. The caller reads, and writes only what it means to repair, then closes it.
 */
@ProviderType
public interface OpenedImage extends AutoCloseable {

    /** The file's real path. */
    Path file();

    /** Bytes in the file. */
    long fileSize();

    /** The label area's size: the last that many bytes of the file; 0 for none. */
    long labelSize();

    /** Whether the label size was found by {@link LabelSize#AUTO} detection. */
    boolean labelSizeDetected();

    /** The persistent memory: file offsets {@code [0, pmem().size())}, the DIMM's DPA 0 on. */
    Medium pmem();

    /** The label area, when there is one. */
    Optional<Medium> labelArea();

    /**
     * Syncs what was written to the file and releases it: the media close, the locks go.
     *
     * @throws nvdimm.bus.NvdimmException the file system's errno when the sync fails; released anyway
     */
    @Override
    void close();
}
