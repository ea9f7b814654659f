package nvdimm.lockdep;

import java.util.Locale;

/** What the validator does when it finds a problem. */
public enum LockdepMode {
    /** No tracking and no checks: a validated lock costs one volatile read over its real lock. */
    OFF,
    /** Record the report, log it, and tell the listeners (inside OSGi: an EventAdmin event); then go on. */
    WARN,
    /**
     * As {@link #WARN}, and the offending call throws {@link LockdepException} before it blocks, leaving
     * the lock not acquired and the thread's held locks as they were.
     */
    THROW;

    /** Parses {@code off}, {@code warn} or {@code throw}, ignoring case and surrounding blanks. */
    public static LockdepMode parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (LockdepMode m : values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("lockdep mode must be off, warn or throw, not '" + text + "'");
    }
}
