package nvdimm.bus.internal.core;

import java.util.List;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.RegionDescriptor;

/**
 * The bus's region device ({@code regionN}, Linux's {@code nd_region} device made by the bus from the
 * provider's description); unbound until a region driver (nvdimm.region's binding) binds it.
 */
final class RegionDeviceImpl extends DeviceImpl implements RegionDevice {
    final int id;
    final RegionDescriptor descriptor;
    private final List<Dimm> dimms;

    RegionDeviceImpl(CoreImpl core, int id, BusImpl bus, RegionDescriptor descriptor, List<Dimm> dimms) {
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
