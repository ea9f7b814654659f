package nvdimm.lockdep;

import java.util.List;

/**
 * A recorded dependency: {@code to} was acquired while {@code from} was held.
 *
 * @param from the lock held first
 * @param to the lock acquired under it
 * @param type how each was held or acquired
 * @param thread the name of the thread where the dependency was first seen
 * @param firstSeen the stack where it was first seen, innermost frame first, trimmed of the validator's
 *     own frames
 */
public record Dependency(LockNode from, LockNode to, DependencyType type, String thread,
        List<StackTraceElement> firstSeen) {
    public Dependency {
        firstSeen = List.copyOf(firstSeen);
    }

    @Override
    public String toString() {
        return from + " " + type.arrow() + " " + to;
    }
}
