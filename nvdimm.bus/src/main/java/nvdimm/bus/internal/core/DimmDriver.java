package nvdimm.bus.internal.core;

import nvdimm.bus.Device;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.LabelAreaInfo;

/**
 * The DIMM driver (Linux dimm.c), built in: reads the label area size with Get Label Size and checks
 * it. A label area of 1 byte to 128 KiB - 1, or one that differs from the provider's description,
 * fails the probe with EINVAL; the DIMM stays registered but disabled.
 */
final class DimmDriver implements PreparedDriver {
    static final String NAME = "nvdimm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean match(Device device) {
        return device instanceof DimmImpl;
    }

    @Override
    public Object prepare(Device device) {
        return ((DimmImpl) device).queryLabelAreaInfo();
    }

    @Override
    public void probe(Device device, Object prepared) {
        DimmImpl dimm = (DimmImpl) device;
        LabelAreaInfo info = (LabelAreaInfo) prepared;
        long described = dimm.descriptor.labelAreaSize();
        if (info.size() != described) {
            throw new NvdimmException(Errno.EINVAL, dimm.name + ": the provider reports a label area of "
                    + info.size() + " bytes but described " + described);
        }
        if (info.size() != 0 && info.size() < Dimm.MIN_LABEL_AREA) {
            throw new NvdimmException(Errno.EINVAL, dimm.name + ": a label area of " + info.size()
                    + " bytes is smaller than the minimum of " + Dimm.MIN_LABEL_AREA);
        }
        dimm.labelInfo = info;
    }

    @Override
    public void remove(Device device) {
        ((DimmImpl) device).labelInfo = null;
    }
}
