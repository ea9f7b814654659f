package nvdimm.bus.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The provider's side of the command (ioctl) path. The bus core calls it concurrently from many
 * threads, never while holding a device lock; every call may fail with an
 * {@link nvdimm.bus.NvdimmException} whose errno reaches the caller unchanged (a provider that
 * cannot do a command at all fails with {@link nvdimm.bus.Errno#EOPNOTSUPP}).
 */
@ConsumerType
public interface CommandHandler {

    /** Get Label Size: the DIMM's label storage area size and the largest transfer. */
    LabelAreaInfo labelAreaInfo(DimmDescriptor dimm);

    /**
     * Get Label Data: copies {@code length} bytes of the label area from {@code offset} into
     * {@code dst} at {@code dstOffset}; {@code length} never exceeds the max transfer.
     */
    void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length);

    /** Set Label Data: the converse of {@link #readLabelArea}; durable when it returns. */
    void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length);

    /** ARS Start: scrubs {@code [address, address + length)} for poison; returns at once. */
    void startScrub(long address, long length);

    /** ARS Status: whether a scrub runs and what the last one found. */
    ScrubStatus scrubStatus();

    /** Clear Uncorrectable Error: clears poison in the range; returns how many bytes were cleared. */
    long clearError(long address, long length);

    /** Error injection: poisons the range (a later scrub reports it). */
    void injectError(long address, long length);

    /** Removes injected poison from the range. */
    void uninjectError(long address, long length);

    /** The poison injected and not yet removed, in SPA order ({@code ndctl inject-error --status}). */
    java.util.List<ErrorRecord> injectedErrors();

    /** The DIMM's SMART health. */
    DimmHealth health(DimmDescriptor dimm);
}
