package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.ScrubStatus;

/**
 * Commands over a poison list that the last scrub "found" (so a region's badblocks are populated from it
 * when the region is enabled); clearing removes poison. No label areas: labels are the label double's.
 */
final class TestCommands implements CommandHandler {
    private final CopyOnWriteArrayList<ErrorRecord> poison = new CopyOnWriteArrayList<>();
    final List<String> cleared = new CopyOnWriteArrayList<>();
    /** When false, clear-error clears nothing (returns 0). */
    volatile boolean clears = true;

    void poison(long address, long length) {
        poison.add(new ErrorRecord(address, length));
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        return new LabelAreaInfo(dimm.labelAreaSize(), 4076);
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, "test bus: no label areas");
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, "test bus: no label areas");
    }

    @Override
    public void startScrub(long address, long length) {
    }

    @Override
    public ScrubStatus scrubStatus() {
        return new ScrubStatus(false, List.copyOf(poison));
    }

    @Override
    public long clearError(long address, long length) {
        cleared.add(address + "+" + length);
        if (!clears) {
            return 0;
        }
        List<ErrorRecord> left = new ArrayList<>();
        long end = address + length;
        for (ErrorRecord r : poison) {
            long rEnd = r.address() + r.length();
            if (rEnd <= address || r.address() >= end) {
                left.add(r);
                continue;
            }
            if (r.address() < address) {
                left.add(new ErrorRecord(r.address(), address - r.address()));
            }
            if (rEnd > end) {
                left.add(new ErrorRecord(end, rEnd - end));
            }
        }
        poison.clear();
        poison.addAll(left);
        return length;
    }

    @Override
    public void injectError(long address, long length) {
        poison(address, length);
    }

    @Override
    public void uninjectError(long address, long length) {
        clearError(address, length);
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        return List.copyOf(poison);
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        return new DimmHealth("ok", 25, 100, 0, "clean");
    }
}
