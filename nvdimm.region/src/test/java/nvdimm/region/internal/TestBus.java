package nvdimm.region.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.FixedProvider;

/**
 * A provider of DIMMs (no label areas) and regions over memory media, with {@link TestCommands}. Region
 * {@code k} starts at {@link #BASE} + k GiB.
 */
final class TestBus extends FixedProvider<TestCommands> implements AutoCloseable {
    static final long DIMM_SIZE = 1 << 20;
    static final long GRANULARITY = 4096;
    static final long BASE = 1L << 32;
    static final long REGION_STRIDE = 1L << 30;

    private TestBus(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions) {
        super(name, dimms, regions, new TestCommands());
    }

    /** QEMU's identity for slot {@code handle}: vendor 0x8086, device 1, serial 0x123456 + slot. */
    static DimmDescriptor dimm(int handle) {
        return new DimmDescriptor(handle, handle, 0x8086, 1, 1, 0, 0, 0x123456 + handle, DIMM_SIZE, 0, Set.of());
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code count} DIMMs, each in its own one-way region (as QEMU lays them out). */
    static TestBus qemu(String name, int count) {
        Builder b = builder(name).dimms(count);
        for (int i = 0; i < count; i++) {
            b.region(i);
        }
        return b.build();
    }

    static final class Builder {
        private final String name;
        private final List<DimmDescriptor> dimms = new ArrayList<>();
        private final List<RegionDescriptor> regions = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        Builder dimms(int count) {
            for (int i = 0; i < count; i++) {
                dimms.add(TestBus.dimm(dimms.size()));
            }
            return this;
        }

        Builder dimm(DimmDescriptor d) {
            dimms.add(d);
            return this;
        }

        long nextAddress() {
            return BASE + regions.size() * REGION_STRIDE;
        }

        /** A region interleaving the DIMMs with these handles, in position order. */
        Builder region(int... handles) {
            return region(PersistenceDomain.MEMORY_CONTROLLER, null, handles);
        }

        Builder region(PersistenceDomain domain, FlushHandler flush, int... handles) {
            int ways = handles.length;
            List<Mapping> mappings = new ArrayList<>();
            for (int pos = 0; pos < ways; pos++) {
                mappings.add(new Mapping(handles[pos], 0, DIMM_SIZE, pos, ways == 1 ? 0 : pos * GRANULARITY));
            }
            long size = DIMM_SIZE * ways;
            return region(new RegionDescriptor(nextAddress(), size, mappings, ways, ways == 1 ? 0 : GRANULARITY,
                    4096, domain, Media.memory(name + ".region" + regions.size(), size), flush));
        }

        /** A region without DIMMs (virtio-pmem style). */
        Builder dimmless(long size, PersistenceDomain domain, FlushHandler flush) {
            return region(new RegionDescriptor(nextAddress(), size, List.of(), 1, 0, 4096, domain,
                    Media.memory(name + ".region" + regions.size(), size), flush));
        }

        Builder region(RegionDescriptor d) {
            regions.add(d);
            return this;
        }

        TestBus build() {
            return new TestBus(name, dimms, regions);
        }
    }

    /** Region {@code k}'s description. */
    RegionDescriptor region(int k) {
        return regions().get(k);
    }

    @Override
    public void close() {
        for (RegionDescriptor r : regions()) {
            r.medium().close();
        }
    }

    @Override
    public String toString() {
        return "TestBus[" + name() + "]";
    }
}
