package nvdimm.lockdep.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Captures stacks (only on the slow path: a new chain, a report) and interns them, so that the many
 * dependencies first seen on one code path share one stack. A site names its thread, so a restarted
 * bundle's new pool threads make new sites: a release keeps only those still used ({@link #retain}).
 */
final class Sites {
    /** Enough to show the caller's context without dumping a whole framework stack. */
    static final int MAX_FRAMES = 16;
    /** Without class references: a stored stack must not keep a stopped bundle's classes alive. */
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Map<Site, Site> interned = new HashMap<>();

    /** The current stack without the validator's own frames (also those between user frames, e.g. a work). */
    static List<StackTraceElement> capture() {
        return WALKER.walk(frames -> frames.filter(f -> !isValidatorFrame(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toList());
    }

    /**
     * The validator's implementation classes; tests live in the same packages and must stay visible in
     * stacks, hence the exception for them.
     */
    static boolean isValidatorFrame(String className) {
        return className.equals("nvdimm.lockdep.Lockdep")
                || className.startsWith("nvdimm.lockdep.internal.") && !className.contains("Test");
    }

    /** Captures and interns the current site. Callers hold the graph lock. */
    Site here() {
        Site site = new Site(Thread.currentThread().getName(), capture());
        Site known = interned.putIfAbsent(site, site);
        return known == null ? site : known;
    }

    /** Forgets the interned sites not in {@code live}. Callers hold the graph lock. */
    void retain(Set<Site> live) {
        interned.keySet().retainAll(live);
    }

    int size() {
        return interned.size();
    }

    void clear() {
        interned.clear();
    }
}
