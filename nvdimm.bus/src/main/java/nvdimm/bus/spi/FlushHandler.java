package nvdimm.bus.spi;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider's own flush for a region, used instead of the generic one (a persist barrier and a
 * deep flush of the medium). virtio-pmem's host {@code fsync} is the model: asynchronous, and it
 * can fail.
 */
@ConsumerType
public interface FlushHandler {

    /**
     * Starts a flush of the region: every store to the region that completed before this call
     * must be durable when the returned stage completes normally. A failure completes the stage
     * exceptionally with an {@link nvdimm.bus.NvdimmException} carrying the provider's errno,
     * which reaches the caller unchanged. May block while it starts the flush (virtio-pmem
     * waits for a free descriptor): the region calls it only where sleeping is allowed.
     */
    CompletionStage<Void> flush();
}
