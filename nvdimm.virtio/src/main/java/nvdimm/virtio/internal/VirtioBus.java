package nvdimm.virtio.internal;

import java.util.List;

import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.virtio.VirtioConfig;

/** A virtio-pmem device as the device core sees it: provider {@value VirtioConfig#PROVIDER}, no DIMMs. */
record VirtioBus(List<RegionDescriptor> regions, CommandHandler commands) implements BusProvider {

    VirtioBus {
        regions = List.copyOf(regions);
    }

    @Override
    public String name() {
        return VirtioConfig.PROVIDER;
    }

    @Override
    public List<DimmDescriptor> dimms() {
        return List.of();
    }

    @Override
    public String toString() {
        return VirtioConfig.PROVIDER;
    }
}
