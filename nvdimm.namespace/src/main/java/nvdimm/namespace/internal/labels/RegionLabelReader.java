package nvdimm.namespace.internal.labels;

import nvdimm.region.Region;

/** Reads a region's labels through its DIMMs' label commands (never around the provider). */
public interface RegionLabelReader {

    /**
     * Reads and assembles. A region without DIMMs, or whose DIMMs have no label area or no valid index,
     * is label-less. No device lock may be held; label reads are DIMM commands.
     *
     * @throws nvdimm.bus.NvdimmException a DIMM command's errno unchanged
     */
    RegionLabels read(Region region);
}
