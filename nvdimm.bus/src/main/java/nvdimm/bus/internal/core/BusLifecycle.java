package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import nvdimm.bus.DeviceEvents;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Mutex;

/**
 * Buses come and go with their providers (Linux's {@code nvdimm_bus_register} and
 * {@code nvdimm_bus_unregister}, and the {@code nd_bus} driver): a provider's bus is registered and
 * probed on the caller's thread; its probe lists it and registers its DIMMs and regions; its teardown
 * unlists it and drains its commands (unbounded) before its children go.
 */
final class BusLifecycle {
    private final CoreImpl core;
    /** Linux's nvdimm_bus_list_mutex: guards busList, never held across a call out or a wait. */
    final Mutex busListLock;
    private final List<BusImpl> busList = new ArrayList<>();

    BusLifecycle(CoreImpl core) {
        this.core = core;
        this.busListLock = core.lockdep.newMutex(LockClasses.BUS_LIST);
    }

    List<NvdimmBus> buses() {
        List<BusImpl> copy;
        busListLock.lock();
        try {
            copy = new ArrayList<>(busList);
        } finally {
            busListLock.unlock();
        }
        copy.sort(Comparator.comparingInt(b -> b.id));
        return List.copyOf(copy);
    }

    /** See {@link CoreImpl#addProvider}. */
    NvdimmBus addProvider(BusProvider provider) {
        Objects.requireNonNull(provider, "provider");
        core.lockdep.mightSleep();
        String name = provider.name();
        core.refuseUnderDeviceLock("provider " + name + ": bringing its bus up");
        List<DimmDescriptor> dimms = List.copyOf(provider.dimms());
        List<RegionDescriptor> regions = List.copyOf(provider.regions());
        CommandHandler handler = provider.commands();
        validate(name, dimms, regions, handler);
        BusImpl bus = core.names.locked(t -> {
            t.ensureOpen();
            BusImpl other = t.providerBus(provider);
            if (other != null) {
                throw new NvdimmException(Errno.EEXIST, "provider " + name + ": already bound as " + other.name);
            }
            BusImpl b = new BusImpl(core, t.busIds.allocate(), provider, name, dimms, regions, handler);
            t.addBus(provider, b);
            return b;
        });
        core.outbox.add(DeviceEvents.ADD, bus.eventProperties(null));
        RuntimeException failure = core.probing.probeNow(bus, true);
        if (failure != null) {
            try {
                core.teardown.unregisterNow(bus);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        return bus;
    }

    private static void validate(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions,
            CommandHandler handler) {
        if (name == null || name.isBlank()) {
            throw new NvdimmException(Errno.EINVAL, "provider: a provider needs a name");
        }
        if (handler == null) {
            throw new NvdimmException(Errno.EINVAL, "provider " + name + ": no command handler");
        }
        Set<Integer> handles = new HashSet<>();
        for (DimmDescriptor d : dimms) {
            if (!handles.add(d.handle())) {
                throw new NvdimmException(Errno.EINVAL, "provider " + name + ": two DIMMs with handle 0x"
                        + Integer.toHexString(d.handle()));
            }
        }
        for (int i = 0; i < regions.size(); i++) {
            Set<Integer> positions = new HashSet<>();
            for (Mapping m : regions.get(i).mappings()) {
                if (!handles.contains(m.dimmHandle())) {
                    throw new NvdimmException(Errno.EINVAL, "provider " + name + ": region " + i
                            + " maps unknown DIMM handle 0x" + Integer.toHexString(m.dimmHandle()));
                }
                if (!positions.add(m.position())) {
                    throw new NvdimmException(Errno.EINVAL, "provider " + name + ": region " + i
                            + " has two mappings at interleave position " + m.position());
                }
            }
        }
    }

    /** See {@link CoreImpl#removeProvider}. */
    void removeProvider(BusProvider provider) {
        core.lockdep.mightSleep();
        core.refuseUnderDeviceLock("provider " + provider.name() + ": taking its bus down", core.commandIdle);
        BusImpl bus = core.names.busOf(provider);
        if (bus != null) {
            core.teardown.unregisterNow(bus);
        }
    }

    /**
     * The bus driver's probe: lists the bus. Two buses may show one provider string, as Linux's
     * virtio-pmem devices each register a bus named {@code virtio-pmem}; the device name tells them apart.
     */
    void linkBus(BusImpl bus) {
        busListLock.lock();
        try {
            busList.add(bus);
        } finally {
            busListLock.unlock();
        }
    }

    void unlinkBus(BusImpl bus) {
        busListLock.lock();
        try {
            busList.remove(bus);
        } finally {
            busListLock.unlock();
        }
    }

    /** The bus driver's probe: the DIMMs, then the regions (which refer to them). Bus lock held. */
    void registerBusChildren(BusImpl bus) {
        for (DimmDescriptor d : bus.dimmDescriptors) {
            registerCoreChild(bus, t -> new DimmImpl(core, t.dimmIds.allocate(), bus, d));
        }
        for (RegionDescriptor r : bus.regionDescriptors) {
            List<Mapping> mappings = new ArrayList<>(r.mappings());
            mappings.sort(Comparator.comparingInt(Mapping::position));
            List<Dimm> dimms = new ArrayList<>();
            for (Mapping m : mappings) {
                dimms.add(bus.dimmByHandle(m.dimmHandle()));
            }
            registerCoreChild(bus, t -> new RegionDeviceImpl(core, t.regionIds.allocate(), bus, r, dimms));
        }
    }

    private void registerCoreChild(BusImpl bus, Function<DeviceNames, DeviceImpl> make) {
        core.lockdep.assertHeld(bus.lock.mutex());
        DeviceImpl dev = core.names.locked(t -> {
            DeviceImpl d = make.apply(t);
            t.add(d);
            return d;
        });
        bus.children.add(dev);
        core.outbox.add(DeviceEvents.ADD, dev.eventProperties(null));
        core.probing.scheduleProbe(dev);
    }

    /**
     * A bus going away: off the list, no new commands, and the ones in flight drained, however long they
     * take (as Linux's {@code nd_bus_remove} waits for {@code ioctl_active}): its children are never torn
     * down under a command. Every {@code drainTimeout} a warning names the bus and what it waits for.
     */
    void quiesce(BusImpl bus) {
        unlinkBus(bus);
        bus.commands.close();
        core.commandIdle.beforeWait();
        long interval = Math.max(core.config.drainTimeout().toNanos(), MIN_WARNING_INTERVAL);
        long waited = 0;
        while (!bus.commands.awaitZeroUninterruptibly(interval)) {
            waited += interval;
            CoreImpl.LOG.log(Level.WARNING, bus.name + ": " + bus.commands.active() + " commands still in flight after "
                    + TimeUnit.NANOSECONDS.toMillis(waited) + " ms; its removal waits for them");
        }
    }

    /** Warnings about a slow drain come at most this often. */
    private static final long MIN_WARNING_INTERVAL = TimeUnit.MILLISECONDS.toNanos(10);
}
