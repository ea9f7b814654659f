package nvdimm.virtio.internal;

import java.nio.file.Path;

/**
 * One parsed configuration of a virtio-pmem device.
 *
 * @param source the configuration's PID, for messages
 * @param name the device's name
 * @param path the backing file, absolute
 * @param size bytes of persistent memory
 * @param queueSize descriptors in the virtqueue
 * @param hostThreads host worker threads
 */
record VirtioSpec(String source, String name, Path path, long size, int queueSize, int hostThreads) {
}
