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
 * also drops it from the records of the last scrub and of a running one. Poison of file-backed
 * DIMMs is kept in their poison files ({@link DimmPoison}), so it survives a restart. Thread-safe.
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

    private final DimmPoison files;

    /**
     * Starts with the poison kept in the DIMMs' poison files.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL naming the file for a corrupt poison list
     */
    Ars(String provider, Lockdep lockdep, LongSupplier nanoClock, DimmPoison files) {
        this.provider = provider;
        this.lock = lockdep.newMutex(Locks.ARS);
        this.nanoClock = nanoClock;
        this.files = files;
        for (ErrorRecord r : files.load()) {
            poison.add(r.address(), r.address() + r.length());
        }
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

    /** Adds poison; it is on disk (for file-backed DIMMs) before this returns, or nothing changed. */
    void inject(long address, long length) {
        lock.lock();
        try {
            RangeSet next = copyOfPoison();
            next.add(address, address + length);
            files.save(next.all());
            poison.setAll(next.all());
        } finally {
            lock.unlock();
        }
    }

    /** Removes poison from the range, also from the scrub results; on disk first, as for {@link #inject}. */
    void remove(long address, long length) {
        lock.lock();
        try {
            RangeSet next = copyOfPoison();
            next.remove(address, address + length);
            files.save(next.all());
            lastFound.remove(address, address + length);
            if (running != null) {
                running.remove(address, address + length);
            }
            poison.setAll(next.all());
        } finally {
            lock.unlock();
        }
    }

    private RangeSet copyOfPoison() {
        RangeSet copy = new RangeSet();
        copy.setAll(poison.all());
        return copy;
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
