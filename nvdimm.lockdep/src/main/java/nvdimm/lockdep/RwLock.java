package nvdimm.lockdep;

import java.util.concurrent.locks.ReadWriteLock;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A validated read/write lock following lockdep's rules for shared holds (see {@link DependencyType}).
 * Without {@link LockClass.Flag#RECURSIVE_READ} it is a {@link
 * java.util.concurrent.locks.ReentrantReadWriteLock} and its readers are non-recursive ({@code r}): a
 * new reader can wait behind a queued writer, so even a read/read cycle is reported; reading again a lock
 * this thread already reads never blocks and is allowed. With the flag, readers are recursive ({@code R}).
 * A write lock requested while this thread holds the read lock of the same instance is always reported
 * (the upgrade deadlocks); a read lock taken while holding the write lock (a downgrade) is allowed. The
 * write lock supports conditions, validated as {@link Mutex#newCondition()}'s.
 */
@ProviderType
public interface RwLock extends ReadWriteLock {
    LockClass lockClass();

    int subclass();

    boolean isWriteLockedByCurrentThread();

    boolean isReadLockedByCurrentThread();
}
