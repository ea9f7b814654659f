package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * The name table (Linux's device names and their idas): every registered device by name, in
 * registration order, the id pools of buses, DIMMs and regions, which provider has which bus, and
 * whether the core is shut down. One leaf lock ({@link LockClasses#DEVICES}) guards it all; nothing is
 * called while it is held.
 */
final class DeviceNames {
    private final Mutex lock;
    private final Map<String, DeviceImpl> byName = new LinkedHashMap<>();
    final IdPool busIds = new IdPool("bus");
    final IdPool dimmIds = new IdPool("nmem");
    final IdPool regionIds = new IdPool("region");
    private final Map<BusProvider, BusImpl> providers = new IdentityHashMap<>();
    private boolean closed;

    DeviceNames(Lockdep lockdep) {
        this.lock = lockdep.newMutex(LockClasses.DEVICES);
    }

    /** Runs {@code action} with the table locked; it must only touch the table. */
    <T> T locked(Function<DeviceNames, T> action) {
        lock.lock();
        try {
            return action.apply(this);
        } finally {
            lock.unlock();
        }
    }

    DeviceImpl find(String name) {
        return locked(t -> t.byName.get(name));
    }

    List<DeviceImpl> snapshot() {
        return locked(t -> new ArrayList<>(t.byName.values()));
    }

    BusImpl busOf(BusProvider provider) {
        return locked(t -> t.providers.get(provider));
    }

    // The rest is called with the table locked (from inside locked()).

    void ensureOpen() {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, "the device core is shut down");
        }
    }

    /** Marks the core shut down; returns the buses to take down, or null if it was already. */
    List<BusImpl> close() {
        if (closed) {
            return null;
        }
        closed = true;
        return new ArrayList<>(providers.values());
    }

    BusImpl providerBus(BusProvider provider) {
        return providers.get(provider);
    }

    void addBus(BusProvider provider, BusImpl bus) {
        byName.put(bus.name, bus);
        providers.put(provider, bus);
    }

    void add(DeviceImpl dev) {
        byName.put(dev.name, dev);
    }

    boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Forgets the device and gives its id back. */
    void remove(DeviceImpl dev) {
        byName.remove(dev.name, dev);
        if (dev instanceof BusImpl b) {
            providers.remove(b.provider, b);
            busIds.release(b.id);
        } else if (dev instanceof DimmImpl d) {
            dimmIds.release(d.id);
        } else if (dev instanceof RegionDeviceImpl r) {
            regionIds.release(r.id);
        }
    }

    /** The lowest free {@code <prefix><region>.<n>}. */
    String freeName(DeviceType type, RegionDeviceImpl region) {
        String stem = type.namePrefix() + region.id + ".";
        for (int n = 0;; n++) {
            if (!byName.containsKey(stem + n)) {
                return stem + n;
            }
        }
    }

    /** A chosen child name, checked to be {@code <prefix><region>.<n>}. */
    static String checkName(DeviceType type, RegionDeviceImpl region, String name) {
        String stem = type.namePrefix() + region.id + ".";
        if (name.startsWith(stem)) {
            String rest = name.substring(stem.length());
            try {
                int n = Integer.parseInt(rest);
                if (n >= 0 && rest.equals(Integer.toString(n))) {
                    return name;
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal
            }
        }
        throw new NvdimmException(Errno.EINVAL, name + ": a " + type.devtype() + " of " + region.name
                + " must be named " + stem + "N");
    }
}
