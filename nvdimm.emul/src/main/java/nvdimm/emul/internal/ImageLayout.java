package nvdimm.emul.internal;

import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.emul.EmulConfig;
import nvdimm.emul.LabelSize;

/**
 * Where an image's persistent memory and label area lie, as QEMU's {@code -device nvdimm} lays
 * out its memory-backend file: labels in the last {@code labelSize} bytes, persistent memory from
 * offset 0, its size the rest rounded down to the backend alignment.
 *
 * @param fileSize the file's size (the backend's size)
 * @param pmemSize bytes of persistent memory
 * @param labelSize bytes of label area at the end; 0 for none
 * @param detected whether {@code labelSize} was found by detection
 */
record ImageLayout(long fileSize, long pmemSize, long labelSize, boolean detected) {

    /** A memory-backend-file's alignment on an ordinary file system: the host page. */
    static final long BACKEND_ALIGN = 4096;
    /** The largest label size detection tries. */
    static final long MAX_DETECTED_LABEL_SIZE = 128L << 20;

    /** The label area starts here in the file. */
    long labelOffset() {
        return fileSize - labelSize;
    }

    /**
     * The layout for a label size given or to be detected; refuses sizes QEMU would refuse.
     *
     * @param name the file, for messages
     * @param medium the whole file, read (never written) for detection
     */
    static ImageLayout of(String name, Medium medium, LabelSize requested) {
        long fileSize = medium.size();
        if (fileSize % BACKEND_ALIGN != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": the file's size " + fileSize
                    + " is not a multiple of 4096 (QEMU maps a memory-backend-file in whole pages)");
        }
        if (!requested.isAuto()) {
            return fixed(name, fileSize, requested.bytes(), false);
        }
        List<Long> found = new ArrayList<>();
        for (long n = EmulConfig.MIN_LABEL_SIZE; n <= MAX_DETECTED_LABEL_SIZE; n <<= 1) {
            long candidate = n;
            if (pmemSize(fileSize, candidate) <= 0) {
                break;
            }
            long base = fileSize - candidate;
            if (LabelIndex.hasValidIndex(dst -> medium.read(base, dst), candidate)) {
                found.add(candidate);
            }
        }
        if (found.size() > 1) {
            throw new NvdimmException(Errno.EINVAL, name + ": valid label indexes for label sizes " + found
                    + " bytes; give the label size");
        }
        return found.isEmpty() ? fixed(name, fileSize, 0, true) : fixed(name, fileSize, found.getFirst(), true);
    }

    private static ImageLayout fixed(String name, long fileSize, long labelSize, boolean detected) {
        if (labelSize != 0 && labelSize < EmulConfig.MIN_LABEL_SIZE) {
            throw new NvdimmException(Errno.EINVAL, name + ": label size " + labelSize
                    + " is neither 0 nor at least 131072 (QEMU's minimum)");
        }
        long pmem = pmemSize(fileSize, labelSize);
        if (pmem <= 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": the file's " + fileSize
                    + " bytes are too small for a label area of " + labelSize + " bytes and 4096 bytes of persistent memory");
        }
        return new ImageLayout(fileSize, pmem, labelSize, detected);
    }

    /** (fileSize - labelSize) rounded down to the backend alignment; 0 or less when nothing is left. */
    static long pmemSize(long fileSize, long labelSize) {
        if (labelSize >= fileSize) {
            return 0;
        }
        return (fileSize - labelSize) / BACKEND_ALIGN * BACKEND_ALIGN;
    }
}
