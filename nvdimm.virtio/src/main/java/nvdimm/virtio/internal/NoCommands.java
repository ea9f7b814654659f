package nvdimm.virtio.internal;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.ScrubStatus;

/**
 * The commands of a virtio-pmem bus: none. Linux registers the bus without an {@code ndctl} callback, so
 * every bus and DIMM command fails with {@code ENOTTY}: there are no DIMMs, no address range scrub and no
 * error injection. The two queries answer what is true: no scrub runs, nothing was found or injected.
 */
final class NoCommands implements CommandHandler {

    private static final ScrubStatus IDLE = new ScrubStatus(false, List.of());
    private final String device;

    NoCommands(String device) {
        this.device = device;
    }

    private NvdimmException unsupported(String what) {
        return new NvdimmException(Errno.ENOTTY, "virtio-pmem " + device + ": " + what
                + " is not supported (the device has no DIMMs and no firmware commands)");
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        throw unsupported("get label size");
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        throw unsupported("get label data");
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        throw unsupported("set label data");
    }

    @Override
    public void startScrub(long address, long length) {
        throw unsupported("address range scrub");
    }

    /** No scrub runs and none found anything: the region's badblocks start, and stay, empty. */
    @Override
    public ScrubStatus scrubStatus() {
        return IDLE;
    }

    @Override
    public long clearError(long address, long length) {
        throw unsupported("clear error");
    }

    @Override
    public void injectError(long address, long length) {
        throw unsupported("error injection");
    }

    @Override
    public void uninjectError(long address, long length) {
        throw unsupported("error injection");
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        return List.of();
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        throw unsupported("health");
    }
}
