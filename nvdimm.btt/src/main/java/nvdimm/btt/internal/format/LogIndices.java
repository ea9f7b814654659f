package nvdimm.btt.internal.format;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Which two of a log group's four slots are live: (0,1) as UEFI and Linux 4.15 and later write them, or (0,2)
 * as older Linux did. Detected at load ({@code log_set_indices}) and kept, so an old layout stays old.
 *
 * @param first the slot of sub-entry 0
 * @param second the slot of sub-entry 1
 */
public record LogIndices(int first, int second) {

    /** The current layout: live slots 0 and 1, the one a fresh arena gets. */
    public static final LogIndices CURRENT = new LogIndices(0, 1);
    /** The pre-4.15 layout: live slots 0 and 2. */
    public static final LogIndices OLD = new LogIndices(0, 2);

    /** The media slot (0 to 3) of sub-entry {@code sub} (0 or 1). */
    public int slot(int sub) {
        return sub == 0 ? first : second;
    }

    /**
     * Detects the live slots from the arena's groups as Linux does. A slot is padding when all 16 bytes are
     * zero. Lanes are walked in order; until two live indices are known, each non-padding slot's index is
     * recorded (the index recorded first is skipped when met again). Once both are known, every later slot
     * must be live at the first index, may be anything at the second, and must be padding elsewhere. A lane
     * with three or more padding slots before that point is in its initial state; if every lane is, the
     * layout is (0,1). Only (0,1) and (0,2) are accepted.
     *
     * @param groups the arena's log groups, lane 0 first
     * @param arena the arena's name for messages
     * @throws NvdimmException ENXIO ("unable to deduce log/padding indices") naming the lane and the problem
     */
    public static LogIndices detect(List<LogGroup> groups, String arena) {
        int[] index = {-1, -1};
        int known = 0;
        boolean initialState = true;
        for (int lane = 0; lane < groups.size(); lane++) {
            LogGroup group = groups.get(lane);
            int padding = 0;
            for (int slot = 0; slot < LogGroup.SLOTS; slot++) {
                boolean pad = group.slot(slot).isPadding();
                if (known < 2) {
                    if (pad) {
                        padding++;
                    } else if (!(known == 1 && slot == index[0])) {
                        index[known++] = slot;
                    }
                } else if (slot == index[0]) {
                    if (pad) {
                        throw unknown(arena, "lane " + lane + " slot " + slot + " is padding but should be live");
                    }
                } else if (slot != index[1] && !pad) {
                    throw unknown(arena, "lane " + lane + " slot " + slot + " is live but should be padding");
                }
            }
            if (padding < 3) {
                initialState = false;
            }
        }
        // A lane that is not initial has two live slots, so it completes the pair: Linux's "not initial and no
        // pair" failure cannot happen, and an initial log gets the current layout's second index.
        if (initialState) {
            index[1] = 1;
        }
        if (index[0] != 0 || (index[1] != 1 && index[1] != 2)) {
            throw unknown(arena, "unknown padding scheme (" + index[0] + "," + index[1] + ")");
        }
        return index[1] == 1 ? CURRENT : OLD;
    }

    private static NvdimmException unknown(String arena, String problem) {
        return new NvdimmException(Errno.ENXIO, arena + ": unable to deduce log/padding indices: " + problem);
    }
}
