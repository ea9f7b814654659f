package nvdimm.lockdep;

import java.util.List;

/**
 * A lock that a thread holds, as shown in reports.
 *
 * @param lock the lock's class and subclass
 * @param mode how it is held: {@code write}, {@code read}, {@code recursive read}, {@code work} (a wait
 *     point's work in progress) or {@code shadow}, followed by {@code trylock} or {@code reentrant} when
 *     that applies
 * @param acquiredAt where this lock was first taken in this context (the first time the same held
 *     sequence was seen); empty when unknown
 */
public record HeldLock(LockNode lock, String mode, List<StackTraceElement> acquiredAt) {
    public HeldLock {
        acquiredAt = List.copyOf(acquiredAt);
    }

    @Override
    public String toString() {
        return lock + " (" + mode + ")";
    }
}
