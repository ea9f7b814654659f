package nvdimm.region;

import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * How a region's {@link LanePool} picks the lane a caller waits for. The policy only spreads callers
 * over the lanes: exclusive use of a lane always comes from the lane's lock, never from the choice.
 * {@link #HASH} and {@link #ROUND_ROBIN} are the two strategies the original BTT patch compared (seed
 * "nd_btt: atomic sector updates"); {@link #STICKY} is what Linux's {@code cpu % num_lanes} gives there
 * and a thread id does not: a stable lane per caller that no other caller shares while callers are no
 * more than lanes.
 */
public enum LanePolicy {
    /**
     * The default: it spreads threads as Linux's {@code cpu % num_lanes} spreads CPUs, without a shared
     * write per acquisition ({@code bench}'s {@code LanePolicyRun} measures it against the others). Each
     * thread keeps one lane, given on its first acquisition to a lane with the fewest
     * live threads: threads up to the lane count never share a lane, and beyond it the lanes' thread
     * counts differ by at most one. A dead thread's place is given back when the next thread arrives, and
     * every place when the pool closes. Per acquisition: a thread-local read, no shared write, no
     * allocation. Virtual threads (usually one per task) take the lanes in turn instead, as
     * {@link #ROUND_ROBIN}.
     */
    STICKY("sticky"),
    /**
     * A stable per-thread hint modulo the lane count ({@code threadId % lanes}), the literal analogue of
     * Linux's {@code cpu % num_lanes}. Unlike CPU numbers, thread ids are not dense: live threads collide
     * on a lane at random and stay collided (waiting for it while another lane is free) for their
     * lifetime.
     */
    HASH("hash"),
    /**
     * An atomic counter shared by all callers, incremented per acquisition (the "last lane used"
     * strategy): consecutive acquisitions go to consecutive lanes, whichever thread makes them. Every
     * acquisition writes the shared counter.
     */
    ROUND_ROBIN("round-robin");

    private final String configValue;

    LanePolicy(String configValue) {
        this.configValue = configValue;
    }

    /**
     * The name used in the {@code lane.policy} configuration property: {@code sticky}, {@code hash} or
     * {@code round-robin}.
     */
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
        throw new NvdimmException(Errno.EINVAL, "lane policy '" + text + "': must be sticky, hash or round-robin");
    }
}
