package nvdimm.lockdep;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A lock class: every lock made with it shares one set of ordering rules, as in Linux lockdep, where all
 * locks initialised at one site form a class. Declare each class once, as a {@code static final} constant
 * (the counterpart of a static {@code lock_class_key}), and {@linkplain Lockdep#register register} it
 * with the validator before its locks are taken.
 *
 * <p>A class is identified by this object, not by its name; two classes may not share a name within one
 * validator. Each class has {@value #MAX_SUBCLASSES} subclasses (nesting levels, given when a lock is
 * made): the validator orders (class, subclass) pairs, so "bus device lock at level 0, then namespace
 * device lock at level 3" is an ordinary dependency and the reverse order closes a cycle.
 */
public final class LockClass {
    /** Subclasses (nesting levels) per class: 0 to 7, as lockdep's {@code MAX_LOCKDEP_SUBCLASSES}. */
    public static final int MAX_SUBCLASSES = 8;

    /** Properties shared by all locks of a class. */
    public enum Flag {
        /**
         * A thread may hold two locks of this (class, subclass) at once, or take one lock again while
         * holding it. Without this flag either is reported as recursive locking.
         */
        RECURSIVE,
        /**
         * Holding a lock of this class forbids sleeping (the counterpart of a spinlock): a blocking
         * acquisition of a sleeping class, a wait and {@link Lockdep#mightSleep()} are reported while one
         * is held. Classes without this flag are sleeping classes.
         */
        ATOMIC,
        /**
         * Readers of read/write locks of this class are recursive readers (lockdep's {@code R}): a reader
         * waits only for a writer that holds the lock, never for a queued writer, so read/read cycles are
         * not deadlocks. The locks are reader-preferring (writers may starve). Without this flag, read
         * locks behave like {@link java.util.concurrent.locks.ReentrantReadWriteLock}'s, whose new readers
         * queue behind a waiting writer (lockdep's {@code r}).
         */
        RECURSIVE_READ
    }

    private final String name;
    private final Set<Flag> flags;

    private LockClass(String name, Set<Flag> flags) {
        this.name = name;
        this.flags = flags;
    }

    /**
     * Declares a class.
     *
     * @param name a name that says whose lock it is, e.g. {@code "nd_region.device_lock"}
     * @param flags the class's properties; none for a sleeping, non-recursive class
     */
    public static LockClass of(String name, Flag... flags) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a lock class needs a name");
        }
        EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
        Collections.addAll(set, flags);
        return new LockClass(name.strip(), Collections.unmodifiableSet(set));
    }

    public String name() {
        return name;
    }

    public Set<Flag> flags() {
        return flags;
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** Checks a subclass given for this class and returns it. */
    public int checkSubclass(int subclass) {
        if (subclass < 0 || subclass >= MAX_SUBCLASSES) {
            throw new IllegalArgumentException(
                    "subclass of " + name + " must be 0.." + (MAX_SUBCLASSES - 1) + ", not " + subclass);
        }
        return subclass;
    }

    @Override
    public String toString() {
        return flags.isEmpty() ? name : name + flags;
    }
}
