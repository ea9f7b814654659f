package nvdimm.virtio.internal.queue;

/**
 * A snapshot of one queue, for status output and tests.
 *
 * @param submitted requests published in the ring
 * @param completed requests the host answered with success
 * @param failed requests answered with an error or drained with EIO
 * @param doubleCompletions completions of a request already completed (always 0 unless broken code)
 * @param lifetimeViolations touches or drops of a request already back in the pool
 * @param spaceWakeups ENOSPC waiters released
 * @param breaks times the queue went from working to broken
 */
public record QueueStats(int queueSize, int inFlight, int spaceWaiters, boolean broken, int poolCapacity,
        int poolAvailable, long submitted, long completed, long failed, long doubleCompletions,
        long lifetimeViolations, long spaceWakeups, long breaks) {
}
