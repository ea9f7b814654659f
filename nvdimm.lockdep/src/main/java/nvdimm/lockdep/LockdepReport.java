package nvdimm.lockdep;

import java.util.List;
import nvdimm.lockdep.internal.ReportText;

/**
 * One problem found by the validator, as data; {@link #toString()} renders it for a terminal.
 *
 * @param kind what was found
 * @param thread the name of the thread that hit it
 * @param summary one sentence saying what that thread was doing
 * @param locks the lock classes concerned, in order (for a cycle: the cycle, starting with the lock being
 *     acquired)
 * @param cycle for {@link Kind#CIRCULAR_DEPENDENCY}: the dependencies that form the cycle, the new one
 *     first, each with the stack where it was first seen; empty for other kinds
 * @param held the locks the thread held, outermost first
 * @param stack where the thread was, innermost frame first, trimmed of the validator's own frames
 */
public record LockdepReport(Kind kind, String thread, String summary, List<LockNode> locks,
        List<Dependency> cycle, List<HeldLock> held, List<StackTraceElement> stack) {

    /** The kinds of problem; each has the headline lockdep prints for it. */
    public enum Kind {
        /** A new dependency closes a cycle of dependencies: an ABBA (or longer) deadlock can happen. */
        CIRCULAR_DEPENDENCY("possible circular locking dependency detected"),
        /** A (class, subclass) taken again while held, without the class allowing it. */
        RECURSIVE_LOCKING("possible recursive locking detected"),
        /** A lock released by a thread that does not hold it. */
        BAD_UNLOCK("bad unlock balance detected"),
        /** A blocking acquisition, a wait or {@link Lockdep#mightSleep()} while an atomic lock is held. */
        SLEEP_IN_ATOMIC("sleeping function called from invalid context"),
        /** {@link Lockdep#assertHeld} found the lock not held by the calling thread. */
        NOT_HELD("lock not held"),
        /** {@link Lockdep#assertNoneHeld()} found locks still held, e.g. when returning to the framework. */
        LOCKS_HELD("lock held when returning to the framework"),
        /** A shadow lock out of step with the real lock it mirrors. */
        SHADOW_MISMATCH("shadow lock out of step with its real lock"),
        /** A lock whose class is not registered (never, or no longer: its owner was released). */
        UNREGISTERED_CLASS("lock class used before it was registered");

        private final String headline;

        Kind(String headline) {
            this.headline = headline;
        }

        /** Lockdep's headline for this kind, e.g. "possible circular locking dependency detected". */
        public String headline() {
            return headline;
        }
    }

    public LockdepReport {
        locks = List.copyOf(locks);
        cycle = List.copyOf(cycle);
        held = List.copyOf(held);
        stack = List.copyOf(stack);
    }

    /** The names of the classes in {@link #locks()}, with {@code /subclass} where it is not 0. */
    public List<String> lockNames() {
        return locks.stream().map(LockNode::toString).toList();
    }

    /** The report as text for a terminal: headline, cycle with a stack per dependency, held locks, stack. */
    @Override
    public String toString() {
        return ReportText.format(this);
    }
}
