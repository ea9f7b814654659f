package nvdimm.bus.spi;

import java.util.List;

import nvdimm.bus.Medium;

/**
 * One region of persistent memory as its provider describes it (an NFIT SPA range and its
 * mappings). For an interleaved region the provider's {@link #medium()} already stitches the DIMMs
 * together: byte {@code x} of the medium is byte {@code x} of the region.
 *
 * @param address the region's start in the system physical address space (SPA), where address
 *     range scrub and error injection ranges are expressed
 * @param size bytes in the region; the medium's size
 * @param mappings the DIMM parts; empty for a region without DIMMs (virtio-pmem)
 * @param interleaveWays how many DIMMs the region interleaves (1 when not interleaved)
 * @param interleaveGranularity bytes placed on one DIMM before the next (0 when not interleaved)
 * @param align the allocation alignment for namespaces in the region
 * @param persistenceDomain how far stores must go to be safe
 * @param medium the region's memory
 * @param flushHandler the provider's flush for this region, or {@code null} for the generic one
 */
public record RegionDescriptor(long address, long size, List<Mapping> mappings, int interleaveWays,
        long interleaveGranularity, long align, PersistenceDomain persistenceDomain, Medium medium,
        FlushHandler flushHandler) {

    public RegionDescriptor {
        mappings = List.copyOf(mappings);
        if (address < 0 || size <= 0) {
            throw new IllegalArgumentException("region at " + address + ": size must be positive, not " + size);
        }
        if (interleaveWays < 1 || align <= 0 || Long.bitCount(align) != 1) {
            throw new IllegalArgumentException("region at " + address
                    + ": interleave ways must be at least 1 and align a power of two");
        }
        if (persistenceDomain == null || medium == null) {
            throw new NullPointerException("region at " + address + ": persistence domain and medium are required");
        }
    }
}
