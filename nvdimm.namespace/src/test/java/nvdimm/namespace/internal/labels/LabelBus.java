package nvdimm.namespace.internal.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;

/**
 * A provider of DIMMs with in-memory label areas (QEMU's identity: vendor 0x8086, serial 0x123456 + handle)
 * and regions over memory media. Label commands record their lengths, so tests see the transfer size, and
 * may fail with an errno.
 */
final class LabelBus implements BusProvider, CommandHandler, AutoCloseable {
    static final int MAX_TRANSFER = 4076;
    static final long GRANULARITY = 4096;

    private final String name;
    private final List<DimmDescriptor> dimms = new ArrayList<>();
    private final List<RegionDescriptor> regions = new ArrayList<>();
    final Map<Integer, byte[]> areas = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, NvdimmException> failures = new ConcurrentHashMap<>();
    /** When set, writes go to the first DIMM written after it was set, and to no other (a kill between DIMMs). */
    volatile boolean cutAfterFirstDimm;
    private volatile Integer firstDimmWritten;

    LabelBus(String name) {
        this.name = name;
    }

    /** A DIMM of {@code size} bytes with a label area of {@code labelSize} bytes (0: none), zero-filled. */
    LabelBus dimm(long size, int labelSize) {
        int handle = dimms.size();
        dimms.add(new DimmDescriptor(handle, handle, 0x8086, 1, 1, 0, 0, 0x123456 + handle, size, labelSize, Set.of(),
                false));
        if (labelSize > 0) {
            areas.put(handle, new byte[labelSize]);
        }
        return this;
    }

    /** A region over the whole of the DIMMs with these handles, in position order (region offsets as QEMU's: 0 for one). */
    LabelBus region(int... handles) {
        int ways = handles.length;
        long dimmSize = dimms.get(handles[0]).size();
        List<Mapping> mappings = new ArrayList<>();
        for (int pos = 0; pos < ways; pos++) {
            mappings.add(new Mapping(handles[pos], 0, dimmSize, pos, ways == 1 ? 0 : pos * GRANULARITY));
        }
        long size = dimmSize * ways;
        regions.add(new RegionDescriptor((1L << 32) + regions.size() * (1L << 32), size, mappings, ways,
                ways == 1 ? 0 : GRANULARITY, 4096, PersistenceDomain.MEMORY_CONTROLLER,
                Media.memory(name + ".region" + regions.size(), size), null));
        return this;
    }

    /** A region without DIMMs. */
    LabelBus dimmless(long size) {
        regions.add(new RegionDescriptor((1L << 32) + regions.size() * (1L << 32), size, List.of(), 1, 0, 4096,
                PersistenceDomain.CPU_CACHE, Media.memory(name + ".region" + regions.size(), size), null));
        return this;
    }

    byte[] area(int handle) {
        return areas.get(handle);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<DimmDescriptor> dimms() {
        return List.copyOf(dimms);
    }

    @Override
    public List<RegionDescriptor> regions() {
        return List.copyOf(regions);
    }

    @Override
    public CommandHandler commands() {
        return this;
    }

    private byte[] areaOf(DimmDescriptor dimm, String command) {
        NvdimmException f = failures.get(command);
        if (f != null) {
            throw f;
        }
        byte[] a = areas.get(dimm.handle());
        if (a == null) {
            throw new NvdimmException(Errno.EOPNOTSUPP, name + ": DIMM " + dimm.handle() + " has no label area");
        }
        return a;
    }

    @Override
    public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
        return new LabelAreaInfo(dimm.labelAreaSize(), MAX_TRANSFER);
    }

    @Override
    public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
        byte[] a = areaOf(dimm, "read");
        calls.add("read " + dimm.handle() + " " + length);
        synchronized (a) {
            System.arraycopy(a, (int) offset, dst, dstOffset, length);
        }
    }

    @Override
    public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
        byte[] a = areaOf(dimm, "write");
        if (cutAfterFirstDimm) {
            if (firstDimmWritten == null) {
                firstDimmWritten = dimm.handle();
            } else if (firstDimmWritten != dimm.handle()) {
                throw new NvdimmException(Errno.EIO, name + ": cut short before DIMM " + dimm.handle() + " was written");
            }
        }
        calls.add("write " + dimm.handle() + " " + length);
        synchronized (a) {
            System.arraycopy(src, srcOffset, a, (int) offset, length);
        }
    }

    @Override
    public void startScrub(long address, long length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, name + ": no scrub");
    }

    @Override
    public ScrubStatus scrubStatus() {
        return new ScrubStatus(false, List.of());
    }

    @Override
    public long clearError(long address, long length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, name + ": no clear error");
    }

    @Override
    public void injectError(long address, long length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, name + ": no error injection");
    }

    @Override
    public void uninjectError(long address, long length) {
        throw new NvdimmException(Errno.EOPNOTSUPP, name + ": no error injection");
    }

    @Override
    public List<ErrorRecord> injectedErrors() {
        return List.of();
    }

    @Override
    public DimmHealth health(DimmDescriptor dimm) {
        return new DimmHealth("ok", 25, 100, 0, "clean");
    }

    @Override
    public void close() {
        regions.forEach(r -> r.medium().close());
    }
}
