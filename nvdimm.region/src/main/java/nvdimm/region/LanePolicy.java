package nvdimm.region;

import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * How a region's {@link LanePool} picks the lane a caller waits for. The policy only spreads callers
 * over the lanes: exclusive use of a lane always comes from the lane's lock, never from the choice.
 * The two are the strategies the original BTT patch compared (seed "nd_btt: atomic sector updates").
 */
public enum LanePolicy {
    /**
     * A stable per-thread hint modulo the lane count, the analogue of Linux's {@code cpu % num_lanes}:
     * a thread always asks for the same lane, and may wait for it while another lane is free. The
     * default, as in Linux, which found it faster than the shared counter of {@link #ROUND_ROBIN}.
     */
    HASH("hash"),
    /**
     * An atomic counter shared by all callers, incremented per acquisition (the "last lane used"
     * strategy): consecutive acquisitions go to consecutive lanes, whichever thread makes them.
     */
    ROUND_ROBIN("round-robin");

    private final String configValue;

    LanePolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The name used in the {@code lane.policy} configuration property: {@code hash} or {@code round-robin}. */
    public String configValue() {
        return configValue;
    }

    /**
     * The policy with the given configuration name, ignoring case and surrounding blanks.
     *
     * @throws NvdimmException EINVAL for any other text
     */
    public static LanePolicy parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (LanePolicy p : values()) {
            if (p.configValue.equals(t)) {
                return p;
            }
        }
        throw new NvdimmException(Errno.EINVAL, "lane policy '" + text + "': must be hash or round-robin");
    }
}
