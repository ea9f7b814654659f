package nvdimm.bus.internal.core;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;

/**
 * A driver for given device types that counts its probes and removes per device and records a
 * violation when called without the device lock, or when remove() finds children still registered.
 */
final class FakeDriver implements Driver {
    private final String name;
    private final Set<DeviceType> types;
    volatile Consumer<Device> onProbe = d -> { };
    volatile Consumer<Device> onRemove = d -> { };
    volatile Function<Device, Map<Class<?>, Object>> services = d -> Map.of();
    final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> removes = new ConcurrentHashMap<>();
    final List<String> probeThreads = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    FakeDriver(String name, DeviceType... types) {
        this.name = name;
        this.types = Set.of(types);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean match(Device device) {
        return types.contains(device.type());
    }

    private void checkLocked(String what, Device d) {
        if (!((DeviceImpl) d).lock.isHeldByCurrentThread()) {
            violations.add(what + " of " + d.name() + " without the device lock");
        }
    }

    @Override
    public void probe(Device device) {
        checkLocked("probe", device);
        probes.computeIfAbsent(device.name(), k -> new AtomicInteger()).incrementAndGet();
        probeThreads.add(Thread.currentThread().getName());
        onProbe.accept(device);
    }

    @Override
    public void remove(Device device) {
        checkLocked("remove", device);
        if (!device.children().isEmpty()) {
            violations.add("remove of " + device.name() + " with children " + device.children());
        }
        removes.computeIfAbsent(device.name(), k -> new AtomicInteger()).incrementAndGet();
        onRemove.accept(device);
    }

    @Override
    public Map<Class<?>, Object> services(Device device) {
        return services.apply(device);
    }

    int probes(String dev) {
        AtomicInteger n = probes.get(dev);
        return n == null ? 0 : n.get();
    }

    int removes(String dev) {
        AtomicInteger n = removes.get(dev);
        return n == null ? 0 : n.get();
    }

    @Override
    public String toString() {
        return "FakeDriver[" + name + "]";
    }
}
