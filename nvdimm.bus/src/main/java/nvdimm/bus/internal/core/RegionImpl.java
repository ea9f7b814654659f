package nvdimm.bus.internal.core;

import java.util.List;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.RegionDescriptor;

/** A region device made from a provider's descriptor; unbound until a region driver binds it. */
final class RegionImpl extends DeviceImpl implements RegionDevice {
    final int id;
    final RegionDescriptor descriptor;
    private final List<Dimm> dimms;

    RegionImpl(CoreImpl core, int id, BusImpl bus, RegionDescriptor descriptor, List<Dimm> dimms) {
        super(core, DeviceType.REGION.namePrefix() + id, DeviceType.REGION, bus);
        this.id = id;
        this.descriptor = descriptor;
        this.dimms = List.copyOf(dimms);
    }

    @Override
    List<Class<?>> serviceTypes() {
        return List.of(Device.class, RegionDevice.class);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public RegionDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<Dimm> dimms() {
        return dimms;
    }
}
