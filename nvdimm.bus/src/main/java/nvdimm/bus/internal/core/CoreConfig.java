package nvdimm.bus.internal.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the core.
 *
 * @param probeThreads how many threads run probes and asynchronous unregistrations ({@code nvdimm-probe-N})
 * @param drainTimeout how often a bus removal that waits for commands in flight logs a warning; it waits
 *     for them however long they take
 */
public record CoreConfig(int probeThreads, Duration drainTimeout) {
    public static final CoreConfig DEFAULT = new CoreConfig(2, Duration.ofSeconds(30));

    public CoreConfig {
        if (probeThreads < 1) {
            throw new IllegalArgumentException("probe threads must be at least 1, not " + probeThreads);
        }
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative");
        }
    }
}
