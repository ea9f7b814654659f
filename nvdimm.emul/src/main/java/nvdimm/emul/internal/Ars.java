package nvdimm.emul.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * One bus's poison and address range scrub. A scrub finds the poison in its range as it is when
 * the scrub starts, and stays active for the bus's scrub duration; its records become the
 * status's records when it completes (observed at the next status). Clearing or removing poison
 * also drops it from the records of the last scrub and of a running one. Thread-safe.
 */
final class Ars {

    private final String provider;
    private final Mutex lock;
    private final LongSupplier nanoClock;
    private final RangeSet poison = new RangeSet();
    private final RangeSet lastFound = new RangeSet();
    /** What the running scrub will report, or {@code null} when none runs. */
    private RangeSet running;
    private long runningUntil;

    Ars(String provider, Lockdep lockdep, LongSupplier nanoClock) {
        this.provider = provider;
        this.lock = lockdep.newMutex(Locks.ARS);
        this.nanoClock = nanoClock;
    }

    void start(long address, long length, Duration duration) {
        lock.lock();
        try {
            settle();
            if (running != null) {
                throw new NvdimmException(Errno.EBUSY, provider + ": ars_start: a scrub is already running");
            }
            running = new RangeSet();
            running.setAll(poison.within(address, address + length));
            runningUntil = nanoClock.getAsLong() + duration.toNanos();
        } finally {
            lock.unlock();
        }
    }

    ScrubStatus status() {
        lock.lock();
        try {
            settle();
            return new ScrubStatus(running != null, lastFound.all());
        } finally {
            lock.unlock();
        }
    }

    /** Completes the running scrub if its time is up. */
    private void settle() {
        if (running != null && nanoClock.getAsLong() - runningUntil >= 0) {
            lastFound.setAll(running.all());
            running = null;
        }
    }

    void inject(long address, long length) {
        lock.lock();
        try {
            poison.add(address, address + length);
        } finally {
            lock.unlock();
        }
    }

    /** Removes poison from the range, also from the scrub results. */
    void remove(long address, long length) {
        lock.lock();
        try {
            lastFound.remove(address, address + length);
            if (running != null) {
                running.remove(address, address + length);
            }
            poison.remove(address, address + length);
        } finally {
            lock.unlock();
        }
    }

    List<ErrorRecord> injected() {
        lock.lock();
        try {
            return poison.all();
        } finally {
            lock.unlock();
        }
    }
}
