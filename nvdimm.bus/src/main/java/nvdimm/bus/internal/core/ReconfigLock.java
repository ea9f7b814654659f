package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.NvdimmBus;
import nvdimm.lockdep.Mutex;

/**
 * A bus's reconfiguration lock, Linux's {@code nvdimm_bus_lock} ({@code reconfig_mutex}): held by label
 * updates and namespace creation and deletion; taken before any device lock. It is also the probe gate,
 * as Linux's {@code nvdimm_bus_probe_start} takes it: a probe of the bus starts only while no one holds
 * it, so a holder that has seen the bus's probes idle keeps them idle until it lets go.
 */
final class ReconfigLock {
    /** The reconfiguration locks this thread holds. */
    private static final ThreadLocal<List<ReconfigLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private final BusImpl bus;
    final Mutex mutex;

    ReconfigLock(BusImpl bus) {
        this.bus = bus;
        this.mutex = bus.core.lockdep.newMutex(LockClasses.BUS_RECONFIG);
    }

    BusReconfiguration acquire() {
        if (mutex.isHeldByCurrentThread()) {
            return new Hold(false);
        }
        bus.core.lockdep.mightSleep();
        bus.core.refuseUnderDeviceLock(bus.name + ": reconfiguration lock (taken before any device lock)");
        mutex.lock();
        HELD.get().add(this);
        return new Hold(true);
    }

    /** A probe of this bus passes here before it starts: it waits while a reconfiguration holds the lock. */
    void gate() {
        if (mutex.isHeldByCurrentThread()) {
            return; // the holder's own probe (enable() under the lock)
        }
        mutex.lock();
        mutex.unlock();
    }

    /**
     * The gate without waiting: false while another thread holds the lock. For a probe started inside a
     * publication, which must not wait for a reconfiguration that may be waiting for that publication.
     */
    boolean tryGate() {
        if (mutex.isHeldByCurrentThread()) {
            return true;
        }
        if (!mutex.tryLock()) {
            return false;
        }
        mutex.unlock();
        return true;
    }

    /** Whether this thread holds the reconfiguration lock of any bus. */
    static boolean anyHeldByCurrentThread() {
        return !HELD.get().isEmpty();
    }

    /** Releases the lock for a wait; {@link #relock()} takes it back. */
    void unlockForWait() {
        HELD.get().remove(this);
        mutex.unlock();
    }

    void relock() {
        mutex.lock();
        HELD.get().add(this);
    }

    private final class Hold implements BusReconfiguration {
        private final boolean outermost;
        private boolean open = true;

        Hold(boolean outermost) {
            this.outermost = outermost;
        }

        @Override
        public NvdimmBus bus() {
            return bus;
        }

        @Override
        public void waitProbeIdle() {
            if (!open) {
                throw new IllegalStateException(bus.name + ": the reconfiguration lock was released");
            }
            bus.core.probing.waitBusIdle(bus);
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                if (outermost) {
                    unlockForWait();
                }
            }
        }
    }
}
