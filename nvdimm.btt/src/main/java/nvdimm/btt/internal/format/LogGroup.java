package nvdimm.btt.internal.format;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A lane's 64-byte log group ({@code struct log_group}): four 16-byte slots, two live and two padding, which
 * two being the arena's {@link LogIndices}.
 *
 * @param slots the four slots in media order
 */
public record LogGroup(List<LogEntry> slots) {

    /** Bytes of a group. */
    public static final int SIZE = 64;
    /** Slots in a group. */
    public static final int SLOTS = 4;

    public LogGroup {
        slots = List.copyOf(slots);
        if (slots.size() != SLOTS) {
            throw new IllegalArgumentException("a log group has 4 slots, not " + slots.size());
        }
    }

    /**
     * Decodes 64 bytes at {@code off}.
     *
     * @throws NvdimmException EINVAL when fewer than 64 bytes follow {@code off}
     */
    public static LogGroup decode(byte[] buf, int off) {
        if (off < 0 || buf.length - off < SIZE) {
            throw new NvdimmException(Errno.EINVAL, "BTT log group: " + (buf.length - off) + " bytes instead of " + SIZE);
        }
        return new LogGroup(List.of(LogEntry.decode(buf, off), LogEntry.decode(buf, off + 16),
                LogEntry.decode(buf, off + 32), LogEntry.decode(buf, off + 48)));
    }

    /** Reads and decodes the group at {@code offset} of a medium. */
    public static LogGroup read(Medium medium, long offset) {
        byte[] buf = new byte[SIZE];
        medium.read(offset, buf);
        return decode(buf, 0);
    }

    /** The 64 bytes of this group. */
    public byte[] toBytes() {
        byte[] buf = new byte[SIZE];
        for (int i = 0; i < SLOTS; i++) {
            slots.get(i).encode(buf, i * LogEntry.SIZE);
        }
        return buf;
    }

    /** Slot {@code i} (0 to 3) in media order. */
    public LogEntry slot(int i) {
        return slots.get(i);
    }

    /** How many of the four slots are padding (all zero). */
    public int paddingSlots() {
        int n = 0;
        for (LogEntry e : slots) {
            if (e.isPadding()) {
                n++;
            }
        }
        return n;
    }

    /** The group a fresh layout writes for {@code lane}: slot 0 = {lane, spare, spare, 1}, the rest zero. */
    public static LogGroup fresh(int lane, long externalNlba) {
        int spare = (int) (externalNlba + lane);
        return new LogGroup(List.of(new LogEntry(lane, spare, spare, 1), LogEntry.PADDING, LogEntry.PADDING,
                LogEntry.PADDING));
    }
}
