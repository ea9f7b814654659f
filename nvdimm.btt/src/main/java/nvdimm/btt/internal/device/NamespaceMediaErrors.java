package nvdimm.btt.internal.device;

import java.lang.foreign.MemorySegment;

import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.bus.Medium;
import nvdimm.namespace.Namespace;

/**
 * A namespace's bad blocks for the BTT engine: {@link #isBad} is the namespace's ({@code is_bad_pmem}), and
 * clearing writes zeros through the namespace without {@code NVDIMM_IO_ATOMIC}, which clears the bad blocks
 * under a 512-byte aligned range through the provider first, as {@code arena_clear_freelist_error} does
 * through {@code nsio_rw_bytes}. The medium given is the namespace's own view, so it is not used.
 */
final class NamespaceMediaErrors implements MediaErrors {
    private final Namespace ns;

    NamespaceMediaErrors(Namespace ns) {
        this.ns = ns;
    }

    @Override
    public boolean isBad(long offset, long length) {
        return ns.isBad(offset, length);
    }

    @Override
    public void clear(Medium medium, long offset, long length, MemorySegment zeros) {
        ns.write(offset, zeros, 0, length, false);
    }
}
