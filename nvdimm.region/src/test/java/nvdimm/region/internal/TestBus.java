package nvdimm.region.internal;

import java.util.List;

import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.FixedProvider;
import nvdimm.region.testing.BusBuilder;

/**
 * A provider of DIMMs (no label areas) and regions over memory media, with {@link TestCommands}. Region
 * {@code k} starts at {@link #BASE} + k GiB.
 */
final class TestBus extends FixedProvider<TestCommands> {
    static final long DIMM_SIZE = 1 << 20;
    static final long GRANULARITY = BusBuilder.GRANULARITY;
    static final long BASE = BusBuilder.BASE;

    private TestBus(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions) {
        super(name, dimms, regions, new TestCommands());
    }

    /** QEMU's identity for slot {@code handle}, of {@link #DIMM_SIZE}. */
    static DimmDescriptor dimm(int handle) {
        return BusBuilder.qemuDimm(handle, DIMM_SIZE);
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

    static final class Builder extends BusBuilder<Builder> {
        Builder(String name) {
            super(name, DIMM_SIZE);
        }

        @Override
        protected Builder self() {
            return this;
        }

        TestBus build() {
            return new TestBus(name(), dimmDescriptors(), regionDescriptors());
        }
    }

    @Override
    public String toString() {
        return "TestBus[" + name() + "]";
    }
}
