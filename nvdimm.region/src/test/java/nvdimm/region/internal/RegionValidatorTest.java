package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionValidatorTest {
    static final long D = TestBus.DIMM_SIZE;
    final List<Medium> media = new ArrayList<>();
    final List<DimmDescriptor> dimms = List.of(TestBus.dimm(0), TestBus.dimm(1), TestBus.dimm(2));

    @AfterEach
    void close() {
        media.forEach(Medium::close);
    }

    RegionDescriptor region(long size, int ways, long granularity, Mapping... mappings) {
        return region(size, size, ways, granularity, mappings);
    }

    RegionDescriptor region(long size, long mediumSize, int ways, long granularity, Mapping... mappings) {
        Medium m = Media.memory("m" + media.size(), mediumSize);
        media.add(m);
        return new RegionDescriptor(1L << 32, size, List.of(mappings), ways, granularity, 4096,
                PersistenceDomain.MEMORY_CONTROLLER, m, null);
    }

    void valid(RegionDescriptor d) {
        RegionValidator.validate("region3", "ndbus1", d, dimms);
    }

    void invalid(String problem, RegionDescriptor d) {
        NvdimmException e = assertThrows(NvdimmException.class, () -> valid(d));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region3: malformed region description: " + problem, e.detail());
    }

    @Test
    void wellFormedDescriptionsPass() {
        valid(region(D, 1, 0, new Mapping(0, 0, D, 0, 0)));
        valid(region(2 * D, 2, 4096, new Mapping(1, 0, D, 1, 4096), new Mapping(0, 0, D, 0, 0)));
        valid(region(3 * D, 3, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 1, 4096),
                new Mapping(2, 0, D, 2, 8192)));
        valid(region(D / 2, 1, 0, new Mapping(2, D / 2, D / 2, 0, 0))); // the second half of a DIMM
        valid(region(4096, 1, 0)); // no DIMMs (virtio-pmem)
    }

    @Test
    void aRegionWithoutDimmsHasOneWay() {
        invalid("a region without DIMMs must have 1 interleave way, not 2", region(4096, 2, 4096));
    }

    @Test
    void waysMustMatchTheMappings() {
        invalid("2 interleave ways but 1 mappings", region(D, 2, 4096, new Mapping(0, 0, D, 0, 0)));
        invalid("1 interleave ways but 2 mappings",
                region(2 * D, 1, 0, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 1, 0)));
    }

    @Test
    void anInterleaveNeedsAGranularity() {
        invalid("a 2-way interleave needs a positive granularity, not 0",
                region(2 * D, 2, 0, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 1, 0)));
    }

    @Test
    void positionsAreZeroToWaysMinusOneEachOnce() {
        invalid("the mapping of DIMM 0x1 has position 2, outside 0..1",
                region(2 * D, 2, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 2, 0)));
        invalid("two mappings have interleave position 0",
                region(2 * D, 2, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 0, 0)));
    }

    @Test
    void dimmsMustBeOnTheBusAndMappedOnce() {
        invalid("the mapping of DIMM 0x9 (position 0) names a DIMM that is not on ndbus1",
                region(D, 1, 0, new Mapping(9, 0, D, 0, 0)));
        invalid("DIMM 0x1 is mapped twice",
                region(2 * D, 2, 4096, new Mapping(1, 0, D / 2, 0, 0), new Mapping(1, D / 2, D / 2, 1, 0)));
    }

    @Test
    void aMappingMustFitItsDimm() {
        invalid("the mapping of DIMM 0x0 covers DIMM bytes 4096 + " + D + ", beyond its " + D + " bytes",
                region(D, 1, 0, new Mapping(0, 4096, D, 0, 0)));
        invalid("the mapping of DIMM 0x0 covers DIMM bytes 0 + " + (2 * D) + ", beyond its " + D + " bytes",
                region(2 * D, 1, 0, new Mapping(0, 0, 2 * D, 0, 0)));
    }

    @Test
    void interleavedMappingsHaveEqualLengths() {
        invalid("an interleaved region needs mappings of equal length, but DIMM 0x1 gives " + (D / 2)
                + " bytes and DIMM 0x0 gives " + D,
                region(D + D / 2, 2, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D / 2, 1, 0)));
    }

    @Test
    void theMappingsMustAddUpToTheSize() {
        invalid("the mappings add up to " + (2 * D) + " bytes but the region is " + (3 * D) + " bytes",
                region(3 * D, 2, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 1, 0)));
        invalid("the mappings add up to more than the region's " + (D / 2) + " bytes",
                region(D / 2, 1, 0, new Mapping(0, 0, D, 0, 0)));
        invalid("the mappings add up to more than the region's " + (2 * D) + " bytes",
                region(2 * D, 3, 4096, new Mapping(0, 0, D, 0, 0), new Mapping(1, 0, D, 1, 0),
                        new Mapping(2, 0, D, 2, 0)));
    }

    @Test
    void theMediumMustBeTheRegionsSize() {
        invalid("its medium m0 holds " + (2 * D) + " bytes but the region is " + D + " bytes",
                region(D, 2 * D, 1, 0, new Mapping(0, 0, D, 0, 0)));
    }
}
