package nvdimm.lockdep.internal;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** The real read/write lock under a {@link ValidatedRwLock}, with the ownership queries validation needs. */
interface RwSync {
    Lock readLock();

    Lock writeLock();

    boolean readHeldByMe();

    boolean writeHeldByMe();

    /** The thread holding the write lock, or {@code null}. */
    Thread writer();

    /** {@link ReentrantReadWriteLock}: non-recursive readers (new readers queue behind a waiting writer). */
    final class Jdk extends ReentrantReadWriteLock implements RwSync {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean readHeldByMe() {
            return getReadHoldCount() > 0;
        }

        @Override
        public boolean writeHeldByMe() {
            return isWriteLockedByCurrentThread();
        }

        @Override
        public Thread writer() {
            return getOwner();
        }
    }
}
