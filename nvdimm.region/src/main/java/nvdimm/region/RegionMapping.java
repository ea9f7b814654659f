package nvdimm.region;

/**
 * One DIMM's part of a region, as ndctl lists it under a region's {@code mappings}.
 *
 * @param dimm the DIMM device's name, e.g. {@code nmem0} (ndctl {@code dimm})
 * @param handle the DIMM's NFIT handle
 * @param dpa where the part starts in the DIMM (ndctl {@code offset})
 * @param length bytes of the DIMM the region uses (ndctl {@code length})
 * @param position the DIMM's position in the interleave set (ndctl {@code position})
 * @param regionOffset NFIT {@code region_offset}, an input of the interleave-set cookie
 */
public record RegionMapping(String dimm, int handle, long dpa, long length, int position, long regionOffset) {
}
