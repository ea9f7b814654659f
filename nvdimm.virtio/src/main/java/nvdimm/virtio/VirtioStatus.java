package nvdimm.virtio;

import java.nio.file.Path;
import java.util.List;

/**
 * One device's state, as {@code virtio:status} shows it.
 *
 * @param name the device's name
 * @param path the backing file
 * @param size bytes of persistent memory
 * @param queueSize descriptors in the virtqueue
 * @param inFlight descriptors the guest has handed to the host and not reclaimed
 * @param spaceWaiters flushes waiting for a free descriptor
 * @param broken whether the queue is broken (every flush fails with EIO until {@code virtio:clear})
 * @param poolCapacity flush requests in the pool
 * @param poolAvailable requests free in the pool
 * @param flushes flushes submitted to the queue so far
 * @param completed flushes the host acknowledged
 * @param failed flushes that failed (host failure or a broken queue)
 * @param hostForces forces of the backing file the host started
 * @param hostThreads host worker threads
 * @param faults the faults set now, each as the shell writes it
 */
public record VirtioStatus(String name, Path path, long size, int queueSize, int inFlight,
        int spaceWaiters, boolean broken, int poolCapacity, int poolAvailable, long flushes, long completed,
        long failed, long hostForces, int hostThreads, List<String> faults) {

    public VirtioStatus {
        faults = List.copyOf(faults);
    }
}
