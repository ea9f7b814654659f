package nvdimm.emul.internal;

import java.util.List;

/**
 * A validated configuration of one emulated bus.
 *
 * @param source what the configuration is called in messages ({@code nvdimm.emul~default})
 * @param provider the provider name ({@code emul.default})
 * @param dimmSize persistent memory per DIMM
 * @param labelSizes label area size of each DIMM, one per DIMM (0 for none)
 * @param regions the regions in order
 * @param memory whether the DIMMs are volatile memory rather than files
 * @param maxTransfer the largest label transfer
 */
record BusSpec(String source, String provider, long dimmSize, List<Long> labelSizes, List<RegionSpec> regions,
        boolean memory, int maxTransfer) {

    BusSpec {
        labelSizes = List.copyOf(labelSizes);
        regions = List.copyOf(regions);
    }

    int dimms() {
        return labelSizes.size();
    }

    /**
     * One region.
     *
     * @param dimms the DIMM indexes in interleave position order
     * @param granularity the interleave granularity; 0 for a region of one DIMM
     */
    record RegionSpec(List<Integer> dimms, long granularity) {
        RegionSpec {
            dimms = List.copyOf(dimms);
        }
    }
}
