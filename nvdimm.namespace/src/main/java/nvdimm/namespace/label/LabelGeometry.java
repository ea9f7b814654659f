package nvdimm.namespace.label;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Where things are in a label area of a given size and label version: two index blocks of
 * {@code indexSize} bytes, then {@code nslot} labels.
 *
 * @param areaSize the label area's bytes
 * @param version the label version (its label size)
 * @param indexSize bytes of one index block
 * @param nslot label slots
 */
public record LabelGeometry(long areaSize, LabelVersion version, int indexSize, long nslot) {

    /**
     * The current Linux and ndctl formula (label.c {@code sizeof_namespace_index},
     * {@code nvdimm_num_label_slots}): {@code idx = roundup(72 + ceil((size/labelsize)/8), 256)},
     * {@code nslot = (size - 2 idx) / labelsize}, index size {@code roundup(72 + ceil(nslot/8), 256)}.
     *
     * @throws NvdimmException EINVAL when the area cannot hold two index blocks and two labels
     */
    public static LabelGeometry of(long areaSize, LabelVersion version) {
        int labelSize = version.labelSize();
        long first = roundUp(IndexBlock.HEADER + ceilDiv(areaSize / labelSize, 8), IndexBlock.ALIGN);
        long nslot = (areaSize - 2 * first) / labelSize;
        long size = roundUp(IndexBlock.HEADER + ceilDiv(Math.max(nslot, 0), 8), IndexBlock.ALIGN);
        if (nslot < 2 || 2 * size + nslot * labelSize > areaSize || size > Integer.MAX_VALUE || nslot > Integer.MAX_VALUE) {
            throw new NvdimmException(Errno.EINVAL, "a label area of " + areaSize + " bytes is too small for v"
                    + version.text() + " labels (two index blocks and two labels)");
        }
        return new LabelGeometry(areaSize, version, (int) size, nslot);
    }

    /** Bytes of one label. */
    public int labelSize() {
        return version.labelSize();
    }

    /** Where the label slots start: after the two index blocks. */
    public long labelBase() {
        return 2L * indexSize;
    }

    /** Where slot {@code slot}'s label is. */
    public long labelOffset(long slot) {
        return labelBase() + slot * labelSize();
    }

    /** This geometry with the slot count an index block stated (Linux honours it when reading). */
    public LabelGeometry withSlots(long storedNslot) {
        return new LabelGeometry(areaSize, version, indexSize, storedNslot);
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
