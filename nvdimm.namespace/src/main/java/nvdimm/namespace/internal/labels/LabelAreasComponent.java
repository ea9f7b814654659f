package nvdimm.namespace.internal.labels;

import java.util.Objects;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreaEditor;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.namespace.label.LabelVersion;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link LabelAreas} on the device core's DIMMs. The active check and the write happen under the bus's
 * reconfiguration lock, once the bus's probes are idle, so no region probe starts in between.
 */
@Component(service = LabelAreas.class)
public final class LabelAreasComponent implements LabelAreas {

    private final DeviceCore core;

    @Activate
    public LabelAreasComponent(@Reference DeviceCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    @Override
    public byte[] read(String dimm) {
        return DimmLabelIo.read(find(dimm));
    }

    @Override
    public LabelArea check(String dimm) {
        Dimm d = find(dimm);
        try {
            return LabelArea.parse(DimmLabelIo.read(d));
        } catch (NvdimmException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new NvdimmException(Errno.ENXIO, d.name() + ": " + e.detail(), e);
            }
            throw e;
        }
    }

    @Override
    public LabelArea init(String dimm, LabelVersion version, boolean force) {
        Objects.requireNonNull(version, "version");
        Dimm d = find(dimm);
        try (BusReconfiguration r = refuseActive(d)) {
            byte[] now = DimmLabelIo.read(d);
            if (!force && LabelArea.tryParse(now).isPresent()) {
                throw new NvdimmException(Errno.EBUSY, d.name() + ": error: labels already initialized");
            }
            return LabelAreaEditor.initialize(now.length, version, DimmLabelIo.writer(d)).area();
        }
    }

    @Override
    public void zero(String dimm) {
        Dimm d = find(dimm);
        try (BusReconfiguration r = refuseActive(d)) {
            byte[] zeros = new byte[(int) requireArea(d)];
            d.writeLabelArea(0, zeros, 0, zeros.length);
        }
    }

    @Override
    public void write(String dimm, byte[] area) {
        Objects.requireNonNull(area, "area");
        Dimm d = find(dimm);
        long size = requireArea(d);
        if (area.length != size) {
            throw new NvdimmException(Errno.EINVAL, d.name() + ": the input has " + area.length
                    + " bytes, the label area " + size);
        }
        try {
            LabelArea.parse(area);
        } catch (NvdimmException e) {
            throw new NvdimmException(Errno.EINVAL, d.name() + ": the input is no label area: " + e.detail(), e);
        }
        try (BusReconfiguration r = refuseActive(d)) {
            d.writeLabelArea(0, area, 0, area.length);
        }
    }

    private Dimm find(String name) {
        Objects.requireNonNull(name, "dimm");
        return core.find(name, Dimm.class)
                .orElseThrow(() -> new NvdimmException(Errno.ENODEV, name + ": no such DIMM"));
    }

    private static long requireArea(Dimm d) {
        long size = d.labelAreaSize();
        if (size <= 0) {
            throw new NvdimmException(Errno.ENXIO, d.name() + ": no label area");
        }
        return size;
    }

    /**
     * Takes the bus's reconfiguration lock, waits for its probes to be idle, and refuses a DIMM an enabled
     * region maps (ndctl's {@code ndctl_dimm_is_active}); the caller closes the lock.
     */
    private BusReconfiguration refuseActive(Dimm d) {
        requireArea(d);
        BusReconfiguration r = d.bus().lockReconfiguration();
        try {
            r.waitProbeIdle();
            for (RegionDevice region : d.bus().regions()) {
                if (region.isEnabled() && region.dimms().stream().anyMatch(x -> x.name().equals(d.name()))) {
                    throw new NvdimmException(Errno.EBUSY, d.name() + ": regions active, abort label write");
                }
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }
}
