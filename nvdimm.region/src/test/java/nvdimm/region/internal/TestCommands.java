package nvdimm.region.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.ScrubStatus;

/**
 * A command handler with address range scrub over a poison list: a scrub started over a range finds the
 * poison inside it and completes after {@link #scrubPolls} status calls; its records become the status
 * records then. Clearing and uninjecting remove poison, also from the results. Any command can fail
 * with an errno ({@link #failures}) or run a hook first.
 */
final class TestCommands implements CommandHandler {
    /** Command name to the failure it throws. */
    final Map<String, NvdimmException> failures = new ConcurrentHashMap<>();
    /** Runs first in every command, with its name. */
    volatile Consumer<String> hook = name -> { };
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Status calls a scrub stays active for. */
    volatile int scrubPolls = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<ErrorRecord> poison = new ArrayList<>();
    private List<ErrorRecord> found = List.of();
    private List<ErrorRecord> running;
    private int pollsLeft;
    private final List<long[]> scrubbed = new ArrayList<>();

    private void enter(String name) {
        calls.add(name);
        hook.accept(name);
        NvdimmException f = failures.get(name);
        if (f != null) {
            throw f;
        }
    }

    /** Sets what the last completed scrub found (as if one ran before the bus came up). */
    void found(ErrorRecord... records) {
        lock.lock();
        try {
            found = List.of(records);
        } finally {
            lock.unlock();
        }
    }

    /** The ranges scrubs were started over, in order. */
    List<long[]> scrubbed() {
        lock.lock();
        try {
            return List.copyOf(scrubbed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        enter("labelAreaInfo");
        return new LabelAreaInfo(dimm.labelAreaSize(), 4076);
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        enter("readLabelArea");
        throw new NvdimmException(Errno.EOPNOTSUPP, "test bus: no label areas");
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        enter("writeLabelArea");
        throw new NvdimmException(Errno.EOPNOTSUPP, "test bus: no label areas");
    }

    @Override
    public void startScrub(long address, long length) {
        enter("startScrub");
        lock.lock();
        try {
            if (running != null) {
                throw new NvdimmException(Errno.EBUSY, "test bus: a scrub is running");
            }
            List<ErrorRecord> hits = new ArrayList<>();
            for (ErrorRecord r : poison) {
                long start = Math.max(r.address(), address);
                long end = Math.min(r.address() + r.length(), address + length);
                if (start < end) {
                    hits.add(new ErrorRecord(start, end - start));
                }
            }
            running = hits;
            pollsLeft = scrubPolls;
            scrubbed.add(new long[] {address, length});
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ScrubStatus scrubStatus() {
        enter("scrubStatus");
        lock.lock();
        try {
            if (running != null && pollsLeft-- <= 0) {
                found = List.copyOf(running);
                running = null;
            }
            return new ScrubStatus(running != null, found);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long clearError(long address, long length) {
        enter("clearError");
        remove(address, length);
        return length;
    }

    @Override
    public void injectError(long address, long length) {
        enter("injectError");
        lock.lock();
        try {
            poison.add(new ErrorRecord(address, length));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void uninjectError(long address, long length) {
        enter("uninjectError");
        remove(address, length);
    }

    private void remove(long address, long length) {
        lock.lock();
        try {
            List<ErrorRecord> left = cut(List.copyOf(poison), address, length);
            poison.clear();
            poison.addAll(left);
            found = cut(found, address, length);
            if (running != null) {
                running = cut(running, address, length);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The records with {@code [address, address + length)} cut out. */
    private static List<ErrorRecord> cut(List<ErrorRecord> records, long address, long length) {
        List<ErrorRecord> out = new ArrayList<>();
        long end = address + length;
        for (ErrorRecord r : records) {
            long rEnd = r.address() + r.length();
            if (rEnd <= address || r.address() >= end) {
                out.add(r);
                continue;
            }
            if (r.address() < address) {
                out.add(new ErrorRecord(r.address(), address - r.address()));
            }
            if (rEnd > end) {
                out.add(new ErrorRecord(end, rEnd - end));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        enter("injectedErrors");
        lock.lock();
        try {
            return List.copyOf(poison);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        enter("health");
        return new DimmHealth("ok", 25, 100, 0, "clean");
    }
}
