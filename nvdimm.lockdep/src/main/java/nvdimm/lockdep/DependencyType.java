package nvdimm.lockdep;

/**
 * The four kinds of dependency "A then B" of lockdep's read/write rules. The first letter says how A was
 * held: Exclusively (a mutex, a write lock, a shadow lock) or Shared (a read lock, a wait point's work).
 * The second says how B was acquired: as a Recursive reader, or Not (a mutex, a write lock, a
 * non-recursive reader, a wait).
 *
 * <p>A cycle is a deadlock only if it is <em>strong</em>: nowhere in it does an {@code -(xR)->}
 * dependency lead straight into an {@code -(Sx)->} one, because a recursive reader is never blocked by
 * another reader.
 */
public enum DependencyType {
    /** A held exclusively, B acquired not as a recursive reader. */
    EN,
    /** A held exclusively, B acquired as a recursive reader. */
    ER,
    /** A held shared, B acquired not as a recursive reader. */
    SN,
    /** A held shared, B acquired as a recursive reader. */
    SR;

    /** Whether the earlier lock was held shared. */
    public boolean sharedHolder() {
        return this == SN || this == SR;
    }

    /** Whether the later lock was acquired as a recursive reader. */
    public boolean recursiveReader() {
        return this == ER || this == SR;
    }

    /** The arrow lockdep's design document writes for this type, e.g. {@code -(EN)->}. */
    public String arrow() {
        return "-(" + name() + ")->";
    }
}
