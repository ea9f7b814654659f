package nvdimm.virtio.internal.queue;

/**
 * The device (host) end of the queue as the guest sees it. The device answers on its own thread: it
 * takes chains with {@link SplitRing#popAvailable()}, answers with {@link SplitRing#pushUsed} and then
 * calls {@link VirtioPmemQueue#interrupt()}. Neither method may call back into the queue on the
 * caller's thread.
 */
public interface VirtioDevice {
    /** The kick: tells the device that {@code ring} has new available chains; false is a notify failure. */
    boolean notify(SplitRing ring);

    /** Device reset after the queue is gone (freeze, removal): the device forgets {@code ring}. */
    void reset(SplitRing ring);
}
