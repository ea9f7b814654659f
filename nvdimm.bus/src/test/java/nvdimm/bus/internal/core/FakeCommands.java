package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.ScrubStatus;

/**
 * A command handler over per-DIMM label arrays. Tests can make any command slow ({@link #hook}), fail
 * with an errno ({@link #failures}), report other label sizes, and see how many calls overlapped.
 */
final class FakeCommands implements CommandHandler {
    static final int MAX_TRANSFER = 4076;

    final Map<Integer, byte[]> labels = new ConcurrentHashMap<>();
    final Map<Integer, Long> reportedSizes = new ConcurrentHashMap<>();
    /** Command name to the failure it throws. */
    final Map<String, NvdimmException> failures = new ConcurrentHashMap<>();
    /** Runs inside every command, with its name: a latch makes it slow. */
    volatile Consumer<String> hook = name -> { };
    /** Runs after a label transfer moved its bytes, with the command's name. */
    volatile Consumer<String> afterTransfer = name -> { };
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Integer> transferSizes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<ErrorRecord> injected = new CopyOnWriteArrayList<>();
    volatile int maxTransfer = MAX_TRANSFER;

    FakeCommands(List<DimmDescriptor> dimms) {
        for (DimmDescriptor d : dimms) {
            labels.put(d.handle(), new byte[(int) d.labelAreaSize()]);
        }
    }

    private void enter(String name) {
        calls.add(name);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            hook.accept(name);
            NvdimmException f = failures.get(name);
            if (f != null) {
                throw f;
            }
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }

    private void exit() {
        inFlight.decrementAndGet();
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        enter("labelAreaInfo");
        try {
            return new LabelAreaInfo(reportedSizes.getOrDefault(dimm.handle(), dimm.labelAreaSize()), maxTransfer);
        } finally {
            exit();
        }
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        enter("readLabelArea");
        try {
            transferSizes.add(length);
            System.arraycopy(labels.get(dimm.handle()), (int) offset, dst, dstOffset, length);
            afterTransfer.accept("readLabelArea");
        } finally {
            exit();
        }
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        enter("writeLabelArea");
        try {
            transferSizes.add(length);
            System.arraycopy(src, srcOffset, labels.get(dimm.handle()), (int) offset, length);
            afterTransfer.accept("writeLabelArea");
        } finally {
            exit();
        }
    }

    @Override
    public void startScrub(long address, long length) {
        enter("startScrub");
        exit();
    }

    @Override
    public ScrubStatus scrubStatus() {
        enter("scrubStatus");
        try {
            return new ScrubStatus(false, List.copyOf(injected));
        } finally {
            exit();
        }
    }

    @Override
    public long clearError(long address, long length) {
        enter("clearError");
        try {
            injected.removeIf(r -> r.address() >= address && r.address() + r.length() <= address + length);
            return length;
        } finally {
            exit();
        }
    }

    @Override
    public void injectError(long address, long length) {
        enter("injectError");
        try {
            injected.add(new ErrorRecord(address, length));
        } finally {
            exit();
        }
    }

    @Override
    public void uninjectError(long address, long length) {
        enter("uninjectError");
        try {
            injected.remove(new ErrorRecord(address, length));
        } finally {
            exit();
        }
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        enter("injectedErrors");
        try {
            return new ArrayList<>(injected);
        } finally {
            exit();
        }
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        enter("health");
        try {
            return new DimmHealth("ok", 25.0, 100, dimm.handle(), "clean");
        } finally {
            exit();
        }
    }
}
