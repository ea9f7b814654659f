package nvdimm.virtio.internal.queue;

/**
 * The three places where the 2026 series changed behaviour, as a strategy so that tests can run the
 * older behaviour against the same queue and see it fail. Production uses {@link #SERIES_2026}.
 */
interface Protections {
    /** 3/7: one reclaimed descriptor; release exactly one ENOSPC waiter, before any token handling. */
    void descriptorReclaimed(SpaceWaiters waiters);

    /** 5/7: the queue takes its own reference on a request it publishes in the ring. */
    boolean queueHoldsReference();

    /** 6/7 and 7/7: marking broken wakes every waiter and drains the ring. */
    boolean drainOnBreak();

    /**
     * The interrupt side has published {@code r}'s completion and woken its submitter, and still holds
     * {@code r} (its reference is dropped next): the window of the 5/7 use-after-free. Nothing to do in
     * production; interleaving tests pause here.
     */
    default void completionPublished(FlushRequest r) {
    }

    Protections SERIES_2026 = new Protections() {
        @Override
        public void descriptorReclaimed(SpaceWaiters waiters) {
            waiters.wakeFirst();
        }

        @Override
        public boolean queueHoldsReference() {
            return true;
        }

        @Override
        public boolean drainOnBreak() {
            return true;
        }
    };
}
