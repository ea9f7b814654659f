package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.FixedProvider;

/** A provider of DIMMs and regions over memory media, with {@link FakeCommands} as its command handler. */
final class FakeProvider extends FixedProvider<FakeCommands> {
    static final long DIMM_SIZE = 64 * 1024;
    static final long LABELS = 128 * 1024;

    private FakeProvider(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions) {
        super(name, dimms, regions, new FakeCommands(List.copyOf(dimms)));
    }

    static DimmDescriptor dimm(int handle, long labelAreaSize) {
        return new DimmDescriptor(handle, handle, 0x8086, 1, 1, 0, 0, 0x123456 + handle, DIMM_SIZE, labelAreaSize,
                Set.of());
    }

    /** {@code dimmCount} DIMMs with 128 KiB label areas and one region interleaving all of them (if any). */
    static FakeProvider of(String name, int dimmCount) {
        return builder(name).dimms(dimmCount, LABELS).interleaveAll().build();
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private final List<DimmDescriptor> dimms = new ArrayList<>();
        private final List<int[]> regions = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        Builder dimms(int count, long labelAreaSize) {
            for (int i = 0; i < count; i++) {
                dimms.add(FakeProvider.dimm(dimms.size(), labelAreaSize));
            }
            return this;
        }

        Builder dimm(DimmDescriptor d) {
            dimms.add(d);
            return this;
        }

        /** A region over the DIMMs with these handles, in interleave order; none for a DIMM-less region. */
        Builder region(int... handles) {
            regions.add(handles);
            return this;
        }

        Builder interleaveAll() {
            if (!dimms.isEmpty()) {
                regions.add(dimms.stream().mapToInt(DimmDescriptor::handle).toArray());
            }
            return this;
        }

        FakeProvider build() {
            List<RegionDescriptor> out = new ArrayList<>();
            long address = 1L << 32;
            for (int[] handles : regions) {
                int ways = Math.max(1, handles.length);
                long size = DIMM_SIZE * ways;
                Medium medium = Media.memory(name + ".region" + out.size(), size);
                List<Mapping> mappings = new ArrayList<>();
                for (int pos = 0; pos < handles.length; pos++) {
                    mappings.add(new Mapping(handles[pos], 0, DIMM_SIZE, pos, 0));
                }
                out.add(new RegionDescriptor(address, size, mappings, ways, handles.length > 1 ? 4096 : 0, 4096,
                        PersistenceDomain.MEMORY_CONTROLLER, medium, null));
                address += size;
            }
            return new FakeProvider(name, dimms, out);
        }
    }

    @Override
    public String toString() {
        return "FakeProvider[" + name() + "]";
    }
}
