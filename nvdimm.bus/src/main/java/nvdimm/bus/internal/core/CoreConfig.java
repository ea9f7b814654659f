package nvdimm.bus.internal.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the core.
 *
 * @param probeThreads how many threads run probes ({@code nvdimm-probe-N})
 * @param teardownThreads how many threads run asynchronous unregistrations ({@code nvdimm-teardown-N}),
 *     apart from the probe threads so slow removes cannot starve probes, nor busy probes hold teardowns
 * @param drainTimeout how often a bus removal that waits for commands in flight logs a warning; it waits
 *     for them however long they take
 */
public record CoreConfig(int probeThreads, int teardownThreads, Duration drainTimeout) {
    public static final int DEFAULT_TEARDOWN_THREADS = 2;
    public static final CoreConfig DEFAULT = new CoreConfig(2, DEFAULT_TEARDOWN_THREADS, Duration.ofSeconds(30));

    public CoreConfig {
        if (probeThreads < 1) {
            throw new IllegalArgumentException("probe threads must be at least 1, not " + probeThreads);
        }
        if (teardownThreads < 1) {
            throw new IllegalArgumentException("teardown threads must be at least 1, not " + teardownThreads);
        }
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative");
        }
    }

    /** {@code probeThreads} probe threads and the default number of teardown threads. */
    public CoreConfig(int probeThreads, Duration drainTimeout) {
        this(probeThreads, DEFAULT_TEARDOWN_THREADS, drainTimeout);
    }
}
