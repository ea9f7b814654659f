package nvdimm.bus.spi;

import java.util.List;

/**
 * Address range scrub status (ARS Status): whether a scrub runs, and the poison found by the
 * last completed one.
 *
 * @param active whether a scrub is in progress
 * @param records poisoned ranges found, in SPA order
 */
public record ScrubStatus(boolean active, List<ErrorRecord> records) {

    public ScrubStatus {
        records = List.copyOf(records);
    }
}
