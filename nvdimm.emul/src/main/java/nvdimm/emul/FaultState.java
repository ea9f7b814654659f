package nvdimm.emul;

import java.time.Duration;
import java.util.Map;

import nvdimm.bus.Errno;
import nvdimm.bus.spi.DimmHealth;

/**
 * The faults set on one emulated bus.
 *
 * @param commands the failing commands
 * @param flush the flush failure, or {@code null}
 * @param flushLatency how long each flush takes
 * @param scrubDuration how long each scrub stays active
 * @param health the health reported instead of ok, by DIMM handle
 */
public record FaultState(Map<EmulCommand, Failure> commands, Failure flush, Duration flushLatency,
        Duration scrubDuration, Map<Integer, DimmHealth> health) {

    public FaultState {
        commands = Map.copyOf(commands);
        health = Map.copyOf(health);
    }

    /**
     * One failure.
     *
     * @param errno what it fails with
     * @param remaining how many more calls fail, or {@link FaultInjector#UNTIL_CLEARED}
     */
    public record Failure(Errno errno, int remaining) {
    }
}
