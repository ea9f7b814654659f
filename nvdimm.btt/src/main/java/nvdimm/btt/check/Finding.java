package nvdimm.btt.check;

/**
 * One thing a check found.
 *
 * @param check which check found it ({@link Check})
 * @param arena the arena's number, -1 before arenas are known
 * @param lba the external LBA concerned (map and log-map findings), -1 when none
 * @param lane the log lane concerned, -1 when none
 * @param offset the namespace offset concerned (info blocks, map entries), -1 when none
 * @param message what was found, in ndctl's words where ndctl has them
 * @param status what became of it
 */
public record Finding(Check check, int arena, long lba, int lane, long offset, String message, Status status) {

    /** The checks, in ndctl's order. */
    public enum Check {
        /** Finding the primary info block, recovering it from a backup ({@code btt_recover_first_sb}). */
        INFO("info block"),
        /** Per-arena discovery: an arena's primary info block restored from its backup. */
        ARENA("arena discovery"),
        /** {@code btt_parse_meta}'s sanity checks. */
        META("metadata"),
        /** {@code log_set_indices}: the log's slot layout. */
        LOG_INDICES("log indices"),
        /** {@code btt_check_log_entries}. */
        LOG("log entries"),
        /** {@code btt_check_map_entries}. */
        MAP("map entries"),
        /** {@code btt_check_log_map}: a map update a crash cut off, rolled forward. */
        LOG_MAP("log/map"),
        /** {@code btt_check_info2}: the backup info block. */
        INFO2("info2"),
        /** {@code btt_check_bitmap}: every internal block referenced exactly once. */
        BITMAP("bitmap"),
        /** {@code --rewrite-log}. */
        REWRITE_LOG("log rewrite");

        private final String label;

        Check(String label) {
            this.label = label;
        }

        /** How reports name it. */
        public String label() {
            return label;
        }
    }

    /** What became of a finding. */
    public enum Status {
        /** Repaired (written and persisted). */
        REPAIRED,
        /** Repairable, but the check ran without {@code --repair}: nothing was written. */
        NEEDS_REPAIR,
        /** Damage no repair can undo. */
        UNREPAIRABLE,
        /** Information: not damage (for example where this checker differs from ndctl). */
        NOTE;

        /** How reports and JSON name it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Where it was found, for humans: {@code "arena 0 lane 5"}, {@code "arena 1 LBA 77"}. */
    public String where() {
        StringBuilder b = new StringBuilder();
        if (arena >= 0) {
            b.append("arena ").append(arena);
        }
        if (lane >= 0) {
            b.append(b.isEmpty() ? "" : " ").append("lane ").append(lane);
        }
        if (lba >= 0) {
            b.append(b.isEmpty() ? "" : " ").append("LBA ").append(lba);
        }
        if (offset >= 0 && lane < 0 && lba < 0) {
            b.append(b.isEmpty() ? "" : " ").append("offset ").append(offset);
        }
        return b.toString();
    }
}
