package nvdimm.emul.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.emul.EmulCommand;

/**
 * The command handler of an emulated bus. Each command first consults the bus's faults (an
 * injected failure is thrown before anything is done), then checks its arguments (a refusal
 * changes nothing), then acts.
 *
 * <ul>
 * <li>Label commands work on the DIMM's label area, at most {@code maxTransfer} bytes at a time:
 * {@code EINVAL} for a transfer over the maximum, a negative offset or length, or a buffer range
 * outside the array; {@code ENXIO} for a range past the area's end (a DIMM without a label area
 * has a size of 0, so every non-empty transfer is past its end). A write is persisted before it
 * returns.</li>
 * <li>Error ranges (scrub, clear, inject, uninject) must be non-empty and lie inside one region of
 * the bus ({@code EINVAL} otherwise).</li>
 * <li>A DIMM that is not on this bus is refused with {@code ENXIO}.</li>
 * </ul>
 */
final class EmulCommands implements CommandHandler {

    /** What a DIMM reports unless a fault says otherwise. */
    static final DimmHealth GOOD_HEALTH = new DimmHealth("ok", 25.0, 100, 0, "clean");

    private final String provider;
    private final Map<Integer, EmulDimm> dimms;
    private final List<RegionDescriptor> regions;
    private final Faults faults;
    private final Ars ars;
    private final int maxTransfer;

    EmulCommands(String provider, List<EmulDimm> dimms, List<RegionDescriptor> regions, Faults faults, Ars ars,
            int maxTransfer) {
        this.provider = provider;
        this.dimms = dimms.stream().collect(Collectors.toUnmodifiableMap(EmulDimm::handle, Function.identity()));
        this.regions = List.copyOf(regions);
        this.faults = faults;
        this.ars = ars;
        this.maxTransfer = maxTransfer;
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        faults.check(EmulCommand.LABEL_AREA_INFO);
        return new LabelAreaInfo(dimm(dimm).labelSize(), maxTransfer);
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        faults.check(EmulCommand.READ_LABEL_AREA);
        EmulDimm d = dimm(dimm);
        Objects.requireNonNull(dst, "dst");
        checkTransfer(d, "get_config_data", offset, dst.length, dstOffset, length);
        d.labelLock().lock();
        try {
            d.medium().read(d.labelOffset() + offset, dst, dstOffset, length);
        } finally {
            d.labelLock().unlock();
        }
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        faults.check(EmulCommand.WRITE_LABEL_AREA);
        EmulDimm d = dimm(dimm);
        Objects.requireNonNull(src, "src");
        checkTransfer(d, "set_config_data", offset, src.length, srcOffset, length);
        d.labelLock().lock();
        try {
            d.medium().write(d.labelOffset() + offset, src, srcOffset, length);
            d.medium().persist(d.labelOffset() + offset, length);
        } finally {
            d.labelLock().unlock();
        }
    }

    private void checkTransfer(EmulDimm d, String command, long offset, int arrayLength, int arrayOffset, int length) {
        String what = provider + ": " + command + " on DIMM " + handleText(d.handle());
        if (length > maxTransfer) {
            throw new NvdimmException(Errno.EINVAL,
                    what + ": " + length + " bytes exceed the maximum transfer of " + maxTransfer);
        }
        if (offset < 0 || length < 0) {
            throw new NvdimmException(Errno.EINVAL, what + ": negative offset or length (" + offset + ", " + length + ")");
        }
        if (arrayOffset < 0 || arrayOffset > arrayLength - length) {
            throw new NvdimmException(Errno.EINVAL, what + ": buffer range " + arrayOffset + " + " + length
                    + " is outside an array of " + arrayLength + " bytes");
        }
        if (offset > d.labelSize() - length) {
            throw new NvdimmException(Errno.ENXIO, what + ": offset " + offset + " + " + length
                    + " is beyond the label area's " + d.labelSize() + " bytes");
        }
    }

    @Override
    public void startScrub(long address, long length) {
        faults.check(EmulCommand.START_SCRUB);
        checkErrorRange("ars_start", address, length);
        ars.start(address, length, faults.scrubDuration());
    }

    @Override
    public ScrubStatus scrubStatus() {
        faults.check(EmulCommand.SCRUB_STATUS);
        return ars.status();
    }

    /** Clears the range: every byte in it is clean afterwards, so all of it counts as cleared. */
    @Override
    public long clearError(long address, long length) {
        faults.check(EmulCommand.CLEAR_ERROR);
        checkErrorRange("clear_error", address, length);
        ars.remove(address, length);
        return length;
    }

    @Override
    public void injectError(long address, long length) {
        faults.check(EmulCommand.INJECT_ERROR);
        checkErrorRange("ars_inject_set", address, length);
        ars.inject(address, length);
    }

    @Override
    public void uninjectError(long address, long length) {
        faults.check(EmulCommand.UNINJECT_ERROR);
        checkErrorRange("ars_inject_clear", address, length);
        ars.remove(address, length);
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        faults.check(EmulCommand.INJECTED_ERRORS);
        return ars.injected();
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        faults.check(EmulCommand.HEALTH);
        DimmHealth set = faults.health(dimm(dimm).handle());
        return set != null ? set : GOOD_HEALTH;
    }

    private EmulDimm dimm(DimmDescriptor dimm) {
        Objects.requireNonNull(dimm, "dimm");
        EmulDimm d = dimms.get(dimm.handle());
        if (d == null || !d.descriptor().equals(dimm)) {
            throw new NvdimmException(Errno.ENXIO, provider + ": no DIMM " + handleText(dimm.handle()) + " on this bus");
        }
        return d;
    }

    /** Whether the DIMM with this handle is on the bus. */
    boolean hasDimm(int handle) {
        return dimms.containsKey(handle);
    }

    private void checkErrorRange(String command, long address, long length) {
        if (length <= 0 || address < 0 || address > Long.MAX_VALUE - length) {
            throw new NvdimmException(Errno.EINVAL, provider + ": " + command + ": range " + hex(address) + " + "
                    + length + " is empty or invalid");
        }
        for (RegionDescriptor r : regions) {
            if (address >= r.address() && address - r.address() <= r.size() - length) {
                return;
            }
        }
        throw new NvdimmException(Errno.EINVAL, provider + ": " + command + ": range " + hex(address) + " + " + length
                + " is not inside one region of the bus");
    }

    static String handleText(int handle) {
        return "0x" + Integer.toHexString(handle);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
