package nvdimm.emul.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.emul.EmulCommand;
import nvdimm.emul.FaultInjector;
import nvdimm.emul.FaultState;
import nvdimm.emul.FaultState.Failure;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/** The faults injected into one bus; thread-safe. */
final class Faults {

    private final String provider;
    private final Mutex lock;
    private final Map<EmulCommand, Failure> commands = new EnumMap<>(EmulCommand.class);
    private final Map<Integer, DimmHealth> health = new HashMap<>();
    private Failure flush;
    private Duration flushLatency = Duration.ZERO;
    private Duration scrubDuration = Duration.ZERO;

    Faults(String provider, Lockdep lockdep) {
        this.provider = provider;
        this.lock = lockdep.newMutex(Locks.FAULTS);
    }

    /** Fails with the injected errno if {@code command} is set to fail, counting the failure. */
    void check(EmulCommand command) {
        Errno errno;
        lock.lock();
        try {
            errno = consume(commands, command);
        } finally {
            lock.unlock();
        }
        if (errno != null) {
            throw new NvdimmException(errno, provider + ": " + command.linuxName() + ": injected failure");
        }
    }

    /** Fails with the injected errno if flushes are set to fail, counting the failure. */
    void checkFlush() {
        Errno errno = null;
        lock.lock();
        try {
            if (flush != null) {
                errno = flush.errno();
                flush = next(flush);
            }
        } finally {
            lock.unlock();
        }
        if (errno != null) {
            throw new NvdimmException(errno, provider + ": flush: injected failure");
        }
    }

    private static <K> Errno consume(Map<K, Failure> map, K key) {
        Failure f = map.get(key);
        if (f == null) {
            return null;
        }
        Failure rest = next(f);
        if (rest == null) {
            map.remove(key);
        } else {
            map.put(key, rest);
        }
        return f.errno();
    }

    /** The failure after one more call: one fewer left, none after the last, sticky ones stay. */
    private static Failure next(Failure f) {
        if (f.remaining() == FaultInjector.UNTIL_CLEARED) {
            return f;
        }
        return f.remaining() > 1 ? new Failure(f.errno(), f.remaining() - 1) : null;
    }

    void failCommand(EmulCommand command, Errno errno, int times) {
        Failure f = failure(errno, times);
        Objects.requireNonNull(command, "command");
        lock.lock();
        try {
            commands.put(command, f);
        } finally {
            lock.unlock();
        }
    }

    void failFlush(Errno errno, int times) {
        Failure f = failure(errno, times);
        lock.lock();
        try {
            flush = f;
        } finally {
            lock.unlock();
        }
    }

    private Failure failure(Errno errno, int times) {
        Objects.requireNonNull(errno, "errno");
        if (times < 1 && times != FaultInjector.UNTIL_CLEARED) {
            throw new NvdimmException(Errno.EINVAL, provider + ": a fault must fire at least once (or until cleared), not "
                    + times + " times");
        }
        return new Failure(errno, times);
    }

    void flushLatency(Duration latency) {
        Duration d = nonNegative(latency, "flush latency");
        lock.lock();
        try {
            flushLatency = d;
        } finally {
            lock.unlock();
        }
    }

    Duration flushLatency() {
        lock.lock();
        try {
            return flushLatency;
        } finally {
            lock.unlock();
        }
    }

    void scrubDuration(Duration duration) {
        Duration d = nonNegative(duration, "scrub duration");
        lock.lock();
        try {
            scrubDuration = d;
        } finally {
            lock.unlock();
        }
    }

    Duration scrubDuration() {
        lock.lock();
        try {
            return scrubDuration;
        } finally {
            lock.unlock();
        }
    }

    private Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new NvdimmException(Errno.EINVAL, provider + ": " + what + " " + d + " is negative");
        }
        return d;
    }

    void setHealth(int handle, DimmHealth value) {
        Objects.requireNonNull(value, "health");
        lock.lock();
        try {
            health.put(handle, value);
        } finally {
            lock.unlock();
        }
    }

    /** The health set for the DIMM, or {@code null}. */
    DimmHealth health(int handle) {
        lock.lock();
        try {
            return health.get(handle);
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            commands.clear();
            health.clear();
            flush = null;
            flushLatency = Duration.ZERO;
            scrubDuration = Duration.ZERO;
        } finally {
            lock.unlock();
        }
    }

    FaultState state() {
        lock.lock();
        try {
            return new FaultState(commands, flush, flushLatency, scrubDuration, health);
        } finally {
            lock.unlock();
        }
    }
}
