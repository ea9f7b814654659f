package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;

/** A bus: one bound provider, what it described, and the active count that pins it for commands. */
final class BusImpl extends DeviceImpl implements NvdimmBus {
    final int id;
    final BusProvider provider;
    final String providerName;
    final List<DimmDescriptor> dimmDescriptors;
    final List<RegionDescriptor> regionDescriptors;
    final CommandHandler handler;
    /** Commands in flight; closed when the bus is being removed. */
    final ActiveCount commands;
    /** Probes of this bus's devices queued or running (Linux's {@code probe_active}). */
    final ActiveCount probes;
    /** Linux's {@code nvdimm_bus_lock}, and the gate every probe of this bus passes. */
    final ReconfigLock reconfig;

    BusImpl(CoreImpl core, int id, BusProvider provider, String providerName, List<DimmDescriptor> dimms,
            List<RegionDescriptor> regions, CommandHandler handler) {
        super(core, DeviceType.BUS.namePrefix() + id, DeviceType.BUS, null);
        this.id = id;
        this.provider = provider;
        this.providerName = providerName;
        this.dimmDescriptors = List.copyOf(dimms);
        this.regionDescriptors = List.copyOf(regions);
        this.handler = handler;
        this.commands = new ActiveCount(core.lockdep, LockClasses.COMMAND_GATE);
        this.probes = new ActiveCount(core.lockdep, LockClasses.PROBE_COUNT);
        this.reconfig = new ReconfigLock(this);
    }

    @Override
    BusImpl busImpl() {
        return this;
    }

    @Override
    List<Class<?>> serviceTypes() {
        return List.of(Device.class, NvdimmBus.class);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String provider() {
        return providerName;
    }

    @Override
    public List<Dimm> dimms() {
        List<Dimm> out = new ArrayList<>();
        for (DeviceImpl c : children) {
            if (c instanceof DimmImpl d) {
                out.add(d);
            }
        }
        return out;
    }

    /** The registered DIMM with this handle, or null. */
    DimmImpl dimmByHandle(int handle) {
        for (DeviceImpl c : children) {
            if (c instanceof DimmImpl d && d.descriptor.handle() == handle) {
                return d;
            }
        }
        return null;
    }

    @Override
    public List<RegionDevice> regions() {
        List<RegionDevice> out = new ArrayList<>();
        for (DeviceImpl c : children) {
            if (c instanceof RegionDeviceImpl r) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public List<RegionDescriptor> regionDescriptors() {
        return regionDescriptors;
    }

    @Override
    public BusReconfiguration lockReconfiguration() {
        return reconfig.acquire();
    }

    @Override
    public int commandsInFlight() {
        return commands.active();
    }

    @Override
    public void startScrub(long address, long length) {
        core.command(this, "ARS start", () -> {
            handler.startScrub(address, length);
            return null;
        });
    }

    @Override
    public ScrubStatus scrubStatus() {
        return core.command(this, "ARS status", handler::scrubStatus);
    }

    @Override
    public long clearError(long address, long length) {
        return core.command(this, "clear error", () -> handler.clearError(address, length));
    }

    @Override
    public void injectError(long address, long length) {
        core.command(this, "inject error", () -> {
            handler.injectError(address, length);
            return null;
        });
    }

    @Override
    public void uninjectError(long address, long length) {
        core.command(this, "uninject error", () -> {
            handler.uninjectError(address, length);
            return null;
        });
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        return core.command(this, "injected errors", () -> List.copyOf(handler.injectedErrors()));
    }
}
