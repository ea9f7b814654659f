package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.FixedProvider;

/**
 * A provider of DIMMs and regions over memory media (or media a test chooses), with {@link TestCommands}.
 * Region {@code k} starts at {@link #BASE} + k GiB. The media outlive the provider's buses (a restart of
 * the core sees what was written); {@link #close()} closes them.
 */
final class TestBus extends FixedProvider<TestCommands> implements AutoCloseable {
    static final long GRANULARITY = 4096;
    static final long BASE = 1L << 32;
    static final long REGION_STRIDE = 1L << 30;

    private TestBus(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions) {
        super(name, dimms, regions, new TestCommands());
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private final List<DimmDescriptor> dimms = new ArrayList<>();
        private final List<RegionDescriptor> regions = new ArrayList<>();
        private long dimmSize = 32L << 20;
        private long align = 4096;
        private BiFunction<String, Long, Medium> media = Media::memory;

        Builder(String name) {
            this.name = name;
        }

        Builder dimmSize(long size) {
            dimmSize = size;
            return this;
        }

        Builder align(long a) {
            align = a;
            return this;
        }

        Builder media(BiFunction<String, Long, Medium> factory) {
            media = factory;
            return this;
        }

        Builder dimms(int count) {
            for (int i = 0; i < count; i++) {
                int h = dimms.size();
                dimms.add(new DimmDescriptor(h, h, 0x8086, 1, 1, 0, 0, 0x123456 + h, dimmSize, 0, Set.of()));
            }
            return this;
        }

        private long nextAddress() {
            return BASE + regions.size() * REGION_STRIDE;
        }

        /** A region interleaving the DIMMs with these handles, in position order. */
        Builder region(int... handles) {
            int ways = handles.length;
            List<Mapping> mappings = new ArrayList<>();
            for (int pos = 0; pos < ways; pos++) {
                mappings.add(new Mapping(handles[pos], 0, dimmSize, pos, ways == 1 ? 0 : pos * GRANULARITY));
            }
            long size = dimmSize * ways;
            regions.add(new RegionDescriptor(nextAddress(), size, mappings, ways, ways == 1 ? 0 : GRANULARITY, align,
                    PersistenceDomain.MEMORY_CONTROLLER, media.apply(name + ".region" + regions.size(), size), null));
            return this;
        }

        /** A region without DIMMs (virtio-pmem style). */
        Builder dimmless(long size) {
            regions.add(new RegionDescriptor(nextAddress(), size, List.of(), 1, 0, align,
                    PersistenceDomain.MEMORY_CONTROLLER, media.apply(name + ".region" + regions.size(), size), null));
            return this;
        }

        TestBus build() {
            return new TestBus(name, dimms, regions);
        }
    }

    RegionDescriptor region(int k) {
        return regions().get(k);
    }

    @Override
    public void close() {
        for (RegionDescriptor r : regions()) {
            r.medium().close();
        }
    }
}
