/**
 * The virtio-pmem host backend: worker threads that answer guest flushes with coalesced forces of the
 * backing file, and the faults a test or the shell can inject into it.
 */
package nvdimm.virtio.internal.host;
