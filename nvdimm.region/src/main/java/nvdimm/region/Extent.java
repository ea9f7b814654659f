package nvdimm.region;

/**
 * A byte range of a region, relative to the region's start.
 *
 * @param offset the first byte
 * @param length how many bytes, greater than 0
 */
public record Extent(long offset, long length) {

    public Extent {
        if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("extent " + offset + " + " + length
                    + ": the offset must not be negative and the length must be positive");
        }
    }

    /** The first byte after the extent. */
    public long end() {
        return offset + length;
    }
}
