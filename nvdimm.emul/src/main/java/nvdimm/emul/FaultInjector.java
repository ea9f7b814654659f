package nvdimm.emul;

import java.time.Duration;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.spi.DimmHealth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes an emulated bus misbehave, by provider name ({@code emul.default}): commands that fail
 * with a chosen errno, region flushes that fail or take time, scrubs that take time, DIMMs that
 * report bad health. Errors reach the caller with the errno chosen here (an {@code ENOMEM} stays
 * {@code ENOMEM}). Faults belong to the running bus: they are gone when it is taken down
 * (configuration changed or deleted, image detached).
 *
 * <p>Every method fails with {@code ENODEV} for a provider that is not a running emulated bus, and
 * with {@code EINVAL} for a bad argument.
 */
@ProviderType
public interface FaultInjector {

    /** {@code times} value: the fault stays until {@link #clear} removes it. */
    int UNTIL_CLEARED = -1;

    /**
     * Makes {@code command} fail with {@code errno} the next {@code times} times it is called (on any
     * DIMM of the bus), or every time until cleared. Replaces an earlier fault of that command.
     *
     * @param times at least 1, or {@link #UNTIL_CLEARED}
     */
    void failCommand(String provider, EmulCommand command, Errno errno, int times);

    /**
     * Makes the next {@code times} region flushes (any region of the bus) fail with {@code errno},
     * or every flush until cleared. The flush fails after its {@linkplain #flushLatency latency}.
     *
     * @param times at least 1, or {@link #UNTIL_CLEARED}
     */
    void failFlush(String provider, Errno errno, int times);

    /** Makes every region flush of the bus take {@code latency} before it completes; zero for none. */
    void flushLatency(String provider, Duration latency);

    /** Makes every address range scrub stay active for {@code duration} after its start; zero for none. */
    void scrubDuration(String provider, Duration duration);

    /**
     * Makes the DIMM with NFIT handle {@code dimmHandle} report {@code health} instead of ok and
     * clean, until cleared.
     */
    void setHealth(String provider, int dimmHandle, DimmHealth health);

    /**
     * Removes every fault of the bus: failures, latencies, health. Injected poison stays: it is
     * media state, kept in each file-backed DIMM's poison list across restarts.
     */
    void clear(String provider);

    /** The faults now set on the bus. */
    FaultState faults(String provider);

    /** The emulated buses running now, configured and attached, by provider name. */
    List<String> providers();
}
