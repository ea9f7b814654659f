/**
 * The guest side of virtio-pmem as the 2026 series (Li Chen, v4, 7 patches) leaves it: a split-ring
 * virtqueue model ({@link nvdimm.virtio.internal.queue.SplitRing}), pooled reference-counted flush
 * requests, and the driver ({@link nvdimm.virtio.internal.queue.VirtioPmemQueue}) whose
 * {@code flush()} waits FIFO for a descriptor, kicks the host and waits for its answer, and whose
 * broken state converges every waiter to {@code EIO}. Not exported.
 */
package nvdimm.virtio.internal.queue;
