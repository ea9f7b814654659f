package nvdimm.region.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;

/**
 * Checks a provider's region description before the region is bound; a malformed one fails the probe
 * with EINVAL and a message naming the region and the problem.
 */
final class RegionValidator {

    private RegionValidator() {
    }

    /**
     * @param region the region's name, for messages
     * @param bus the bus's name, for messages
     * @param d the description
     * @param dimms the bus's DIMMs
     * @throws NvdimmException EINVAL naming the first problem found
     */
    static void validate(String region, String bus, RegionDescriptor d, List<DimmDescriptor> dimms) {
        List<Mapping> mappings = d.mappings();
        int ways = d.interleaveWays();
        if (d.medium().size() != d.size()) {
            throw invalid(region, "its medium " + d.medium().name() + " holds " + d.medium().size()
                    + " bytes but the region is " + d.size() + " bytes");
        }
        if (mappings.isEmpty()) {
            if (ways != 1) {
                throw invalid(region, "a region without DIMMs must have 1 interleave way, not " + ways);
            }
            return;
        }
        if (ways != mappings.size()) {
            throw invalid(region, ways + " interleave ways but " + mappings.size() + " mappings");
        }
        if (ways > 1 && d.interleaveGranularity() <= 0) {
            throw invalid(region, "a " + ways + "-way interleave needs a positive granularity, not "
                    + d.interleaveGranularity());
        }
        Map<Integer, DimmDescriptor> byHandle = new HashMap<>();
        for (DimmDescriptor dimm : dimms) {
            byHandle.put(dimm.handle(), dimm);
        }
        Set<Integer> positions = new HashSet<>();
        Set<Integer> handles = new HashSet<>();
        long total = 0;
        for (Mapping m : mappings) {
            String which = "the mapping of DIMM " + hex(m.dimmHandle());
            if (m.position() >= ways) {
                throw invalid(region, which + " has position " + m.position() + ", outside 0.." + (ways - 1));
            }
            if (!positions.add(m.position())) {
                throw invalid(region, "two mappings have interleave position " + m.position());
            }
            DimmDescriptor dimm = byHandle.get(m.dimmHandle());
            if (dimm == null) {
                throw invalid(region, which + " (position " + m.position() + ") names a DIMM that is not on " + bus);
            }
            if (!handles.add(m.dimmHandle())) {
                throw invalid(region, "DIMM " + hex(m.dimmHandle()) + " is mapped twice");
            }
            if (m.dpa() > dimm.size() - m.length()) {
                throw invalid(region, which + " covers DIMM bytes " + m.dpa() + " + " + m.length()
                        + ", beyond its " + dimm.size() + " bytes");
            }
            if (m.length() != mappings.get(0).length()) {
                throw invalid(region, "an interleaved region needs mappings of equal length, but DIMM "
                        + hex(m.dimmHandle()) + " gives " + m.length() + " bytes and DIMM "
                        + hex(mappings.get(0).dimmHandle()) + " gives " + mappings.get(0).length());
            }
            if (m.length() > d.size() - total) {
                throw invalid(region, "the mappings add up to more than the region's " + d.size() + " bytes");
            }
            total += m.length();
        }
        if (total != d.size()) {
            throw invalid(region, "the mappings add up to " + total + " bytes but the region is " + d.size()
                    + " bytes");
        }
    }

    private static NvdimmException invalid(String region, String problem) {
        return new NvdimmException(Errno.EINVAL, region + ": malformed region description: " + problem);
    }

    private static String hex(int handle) {
        return "0x" + Integer.toHexString(handle);
    }
}
