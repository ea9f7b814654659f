package nvdimm.virtio.internal.host;

import nvdimm.bus.NvdimmException;

/**
 * A flush request as the host sees it: one answer, exactly once. The guest's pooled request implements
 * it, so submitting allocates nothing.
 */
@FunctionalInterface
public interface HostRequest {
    /**
     * The host's answer. Called once, on a host worker thread (the one whose force acknowledged the
     * request) or, for a request the host never forced, on the thread that closed the host. Must not
     * block and should not throw.
     *
     * @param status 0, or the host's failure status ({@link nvdimm.bus.Errno#EIO}'s code)
     * @param failure null when {@code status} is 0; otherwise why, with its errno and cause
     */
    void hostDone(int status, NvdimmException failure);
}
