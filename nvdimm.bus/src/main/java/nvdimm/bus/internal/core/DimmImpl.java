package nvdimm.bus.internal.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.LabelAreaInfo;

/** A DIMM device; its label area is reached through the bus's command path. */
final class DimmImpl extends DeviceImpl implements Dimm {
    final int id;
    final DimmDescriptor descriptor;
    /** What the DIMM driver checked at its last successful probe; written under the device lock. */
    volatile LabelAreaInfo labelInfo;

    DimmImpl(CoreImpl core, int id, BusImpl bus, DimmDescriptor descriptor) {
        super(core, DeviceType.DIMM.namePrefix() + id, DeviceType.DIMM, bus);
        this.id = id;
        this.descriptor = descriptor;
    }

    @Override
    List<Class<?>> serviceTypes() {
        return List.of(Device.class, Dimm.class);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public DimmDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public long labelAreaSize() {
        LabelAreaInfo info = labelInfo;
        return info != null ? info.size() : descriptor.labelAreaSize();
    }

    @Override
    public Optional<LabelAreaInfo> labelAreaInfo() {
        return Optional.ofNullable(labelInfo);
    }

    @Override
    public DimmHealth health() {
        return core.command(this, "get health", () -> busImpl().handler.health(descriptor));
    }

    /** Get Label Size from the provider; the DIMM driver's probe calls it before taking the device lock. */
    LabelAreaInfo queryLabelAreaInfo() {
        return core.command(this, "get label size", () -> busImpl().handler.labelAreaInfo(descriptor));
    }

    /** Inside a command: the checked info, or the provider's answer for a DIMM not probed. */
    private LabelAreaInfo infoForTransfer() {
        LabelAreaInfo info = labelInfo;
        return info != null ? info : busImpl().handler.labelAreaInfo(descriptor);
    }

    @Override
    public void readLabelArea(long offset, byte[] dst, int dstOffset, int length) {
        Objects.requireNonNull(dst, "dst");
        checkBuffer("get label data", dst.length, dstOffset, length);
        core.command(this, "get label data", () -> {
            LabelAreaInfo info = infoForTransfer();
            checkRange("get label data", info, offset, length);
            byte[] staging = core.stagingBuffer(length);
            int done = 0;
            while (done < length) {
                int n = Math.min(info.maxTransfer(), length - done);
                busImpl().handler.readLabelArea(descriptor, offset + done, staging, done, n);
                done += n;
            }
            System.arraycopy(staging, 0, dst, dstOffset, length);
            return null;
        });
    }

    @Override
    public void writeLabelArea(long offset, byte[] src, int srcOffset, int length) {
        Objects.requireNonNull(src, "src");
        checkBuffer("set label data", src.length, srcOffset, length);
        // As ND_CMD_SET_CONFIG_DATA: under nvdimm_bus_lock, once this bus's probes are idle (they may be
        // reading labels), waited for before the command pins the bus. A caller holding the lock is a label
        // update of its own (the kernel's nd_label_write path): it waited for the probes when it began, and
        // waiting here would let go of the lock between its writes.
        boolean updating = busImpl().reconfig.mutex.isHeldByCurrentThread();
        try (BusReconfiguration reconfiguration = busImpl().lockReconfiguration()) {
            if (!updating) {
                reconfiguration.waitProbeIdle();
            }
            core.command(this, "set label data", () -> {
                LabelAreaInfo info = infoForTransfer();
                checkRange("set label data", info, offset, length);
                byte[] staging = core.stagingBuffer(length);
                System.arraycopy(src, srcOffset, staging, 0, length);
                int done = 0;
                while (done < length) {
                    int n = Math.min(info.maxTransfer(), length - done);
                    busImpl().handler.writeLabelArea(descriptor, offset + done, staging, done, n);
                    done += n;
                }
                return null;
            });
        }
    }

    private void checkBuffer(String what, int arrayLength, int arrayOffset, int length) {
        if (length < 0 || arrayOffset < 0 || arrayOffset > arrayLength - length) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + what + ": " + length + " bytes at array offset "
                    + arrayOffset + " do not fit an array of " + arrayLength);
        }
    }

    private void checkRange(String what, LabelAreaInfo info, long offset, int length) {
        if (offset < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + what + ": negative offset " + offset);
        }
        if (offset > info.size() - length) {
            throw new NvdimmException(Errno.ENXIO, name + ": " + what + ": " + length + " bytes at offset " + offset
                    + " reach beyond the label area of " + info.size() + " bytes");
        }
    }
}
