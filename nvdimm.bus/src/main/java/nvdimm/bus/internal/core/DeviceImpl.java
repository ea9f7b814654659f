package nvdimm.bus.internal.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;

/**
 * A device of the tree. Its binding state is written under its device lock and read anywhere (the
 * fields are volatile); its children list is appended to under its device lock.
 */
class DeviceImpl implements Device {
    final CoreImpl core;
    final String name;
    final DeviceType type;
    final DeviceImpl parent;
    final DeviceLock lock;
    final CopyOnWriteArrayList<DeviceImpl> children = new CopyOnWriteArrayList<>();

    /** Set once, by {@link #kill()} under the device lock: the device is being (or has been) removed. */
    private volatile boolean dead;
    /** The bound driver; written under the device lock. */
    volatile Driver driver;
    /** The driver whose probe is running now (on the thread holding the device lock). */
    volatile Driver probing;
    volatile Object driverData;
    volatile NvdimmException probeError;
    /** Disabled on request: automatic probes leave the device alone until enable(). */
    volatile boolean userDisabled;
    /** Unbinds in progress; while non-zero no child may be registered. Written under the device lock. */
    volatile int unbinding;

    /** The teardown, created by the caller that won {@link #kill()}, in the same critical section. */
    volatile FutureTask<Void> teardown;
    /** The thread running the teardown, while it runs. */
    volatile Thread teardownThread;
    final CompletableFuture<Void> removed = new CompletableFuture<>();

    /** A probe of this device is queued and has not started. */
    final AtomicBoolean probeQueued = new AtomicBoolean();
    /** Where the device's services are in {@link Publication}'s state machine. */
    final AtomicReference<Publication.State> publication = new AtomicReference<>(Publication.Unpublished.INSTANCE);

    DeviceImpl(CoreImpl core, String name, DeviceType type, DeviceImpl parent) {
        this.core = core;
        this.name = name;
        this.type = type;
        this.parent = parent;
        this.lock = new DeviceLock(core.lockdep, type.lockLevel(), name);
    }

    /**
     * Linux's {@code kill_device()}: marks the device dead. Must be called with the device lock held;
     * true for the one caller that marked it, who then owns the teardown.
     */
    boolean kill() {
        core.lockdep.assertHeld(lock.mutex());
        if (dead) {
            return false;
        }
        dead = true;
        return true;
    }

    boolean isDead() {
        return dead;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return type;
    }

    @Override
    public Optional<Device> parent() {
        return Optional.ofNullable(parent);
    }

    @Override
    public NvdimmBus bus() {
        return busImpl();
    }

    BusImpl busImpl() {
        DeviceImpl d = this;
        while (d.parent != null) {
            d = d.parent;
        }
        return (BusImpl) d;
    }

    /** The region this device belongs to (itself for a region), or null above regions. */
    RegionDeviceImpl regionImpl() {
        for (DeviceImpl d = this; d != null; d = d.parent) {
            if (d instanceof RegionDeviceImpl r) {
                return r;
            }
        }
        return null;
    }

    @Override
    public List<Device> children() {
        return List.copyOf(children);
    }

    @Override
    public DeviceState state() {
        if (dead) {
            return DeviceState.DEAD;
        }
        return driver != null ? DeviceState.ENABLED : DeviceState.DISABLED;
    }

    @Override
    public Optional<String> driverName() {
        Driver d = driver;
        return d == null ? Optional.empty() : Optional.of(d.name());
    }

    @Override
    public Optional<NvdimmException> probeError() {
        return Optional.ofNullable(probeError);
    }

    @Override
    public <T> Optional<T> driverData(Class<T> type) {
        Object data = driverData;
        return type.isInstance(data) ? Optional.of(type.cast(data)) : Optional.empty();
    }

    @Override
    public void setDriverData(Object data) {
        core.lockdep.assertHeld(lock.mutex());
        driverData = data;
    }

    /** The interfaces the device is published under. */
    List<Class<?>> serviceTypes() {
        return List.of(Device.class);
    }

    Map<String, Object> serviceProperties() {
        return Map.of(SERVICE_DEV, name, SERVICE_BUS, busImpl().name, SERVICE_TYPE, type.devtype());
    }

    Map<String, Object> eventProperties(Driver d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(DeviceEvents.DEV, name);
        p.put(DeviceEvents.TYPE, type.devtype());
        p.put(DeviceEvents.BUS, busImpl().name);
        if (d != null) {
            p.put(DeviceEvents.DRIVER, d.name());
        }
        return p;
    }

    @Override
    public String toString() {
        return name;
    }
}
