package nvdimm.namespace.internal;

import java.util.List;

import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.FixedProvider;
import nvdimm.region.testing.BusBuilder;

/**
 * A provider of DIMMs and regions over memory media (or media a test chooses), with {@link TestCommands}.
 * Region {@code k} starts at {@link #BASE} + k GiB. The media outlive the provider's buses (a restart of
 * the core sees what was written); {@link #close()} closes them.
 */
final class TestBus extends FixedProvider<TestCommands> {
    static final long BASE = BusBuilder.BASE;

    private TestBus(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions) {
        super(name, dimms, regions, new TestCommands());
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    /** DIMMs of 32 MiB unless a test chooses another size. */
    static final class Builder extends BusBuilder<Builder> {
        Builder(String name) {
            super(name, 32L << 20);
        }

        @Override
        protected Builder self() {
            return this;
        }

        TestBus build() {
            return new TestBus(name(), dimmDescriptors(), regionDescriptors());
        }
    }
}
