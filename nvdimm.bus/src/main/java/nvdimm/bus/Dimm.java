package nvdimm.bus;

import java.util.Optional;
import java.util.Set;

import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmFlag;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.LabelAreaInfo;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A DIMM device, {@code nmemN}. Its driver ({@code "nvdimm"}, built into the core) reads the label
 * area size at probe and checks it: a label area of 1 byte to 128 KiB - 1, or one that differs from
 * what the provider described, fails the probe with {@link Errno#EINVAL} and leaves the DIMM disabled.
 *
 * <p>Label area and health access are commands: see {@link NvdimmBus} for the rules.
 */
@ProviderType
public interface Dimm extends Device {
    /** The smallest label area Linux accepts (a size of 0 means "no labels"). */
    long MIN_LABEL_AREA = 128 * 1024;

    /** N of {@code nmemN}. */
    int id();

    /** What the provider said about the DIMM. */
    DimmDescriptor descriptor();

    /** ndctl's {@code id}, e.g. {@code "8680-56341200"} (QEMU's slot 0). */
    default String dimmId() {
        return descriptor().id();
    }

    /** ndctl's {@code handle}. */
    default int handle() {
        return descriptor().handle();
    }

    /** ndctl's {@code phys_id}. */
    default int physId() {
        return descriptor().physId();
    }

    /** The serial number. */
    default int serial() {
        return descriptor().serialNumber();
    }

    /** Bytes of persistent memory the DIMM contributes. */
    default long size() {
        return descriptor().size();
    }

    /** The label area size the driver checked at its last successful probe, else the described one. */
    long labelAreaSize();

    /** The label area size and max transfer from the last successful probe. */
    Optional<LabelAreaInfo> labelAreaInfo();

    /** The platform's flags for the DIMM. */
    default Set<DimmFlag> flags() {
        return descriptor().flags();
    }

    /** SMART health, a command. */
    DimmHealth health();

    /**
     * Get Label Data: copies {@code length} bytes of the label area from {@code offset} into {@code dst},
     * in transfers of at most the DIMM's max transfer. {@code dst} is written only when every transfer
     * succeeded.
     *
     * @throws NvdimmException EINVAL for a negative offset or length or a bad destination range, ENXIO
     *     for a range beyond the label area or a DIMM that went away; the provider's errors unchanged
     */
    void readLabelArea(long offset, byte[] dst, int dstOffset, int length);

    /**
     * Set Label Data, as the ioctl does it: under the bus's {@linkplain NvdimmBus#lockReconfiguration()
     * reconfiguration lock} (taken here unless the caller holds it), once the probes of this DIMM's bus
     * are idle (waited for with the lock released, before the command pins the bus), so no probe reads
     * labels mid-update. A caller that holds the lock already is a label update of several writes: it
     * waits for the probes itself when it begins ({@link BusReconfiguration#waitProbeIdle()}), and its
     * writes keep the lock, so no probe and no other update comes between them. {@code src} is copied
     * before the first transfer.
     *
     * @throws NvdimmException as {@link #readLabelArea}; EBUSY when called from a probe of this bus;
     *     EDEADLK with a device lock held
     */
    void writeLabelArea(long offset, byte[] src, int srcOffset, int length);
}
