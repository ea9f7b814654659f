package nvdimm.bus.spi;

/**
 * One DIMM's part of a region (an NFIT memory-device-to-SPA mapping).
 *
 * @param dimmHandle the {@link DimmDescriptor#handle()} of the DIMM
 * @param dpa where the part starts in the DIMM's own address space (device physical address)
 * @param length how many bytes of the DIMM the region uses
 * @param position the DIMM's position in the interleave set (0 .. ways-1)
 * @param regionOffset where the DIMM's first byte sits within the interleave set (NFIT
 *     {@code region_offset}; an input of the interleave-set cookie; QEMU: 0)
 */
public record Mapping(int dimmHandle, long dpa, long length, int position, long regionOffset) {

    public Mapping {
        if (dpa < 0 || length <= 0 || position < 0 || regionOffset < 0) {
            throw new IllegalArgumentException("mapping of DIMM " + dimmHandle
                    + ": dpa, region offset and position must not be negative and length must be positive");
        }
    }
}
