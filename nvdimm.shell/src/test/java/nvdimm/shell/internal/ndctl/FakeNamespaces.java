package nvdimm.shell.internal.ndctl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Device;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Claim;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Badblocks;
import nvdimm.region.Extent;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;
import nvdimm.region.Regions;

/**
 * An in-memory namespace service over the {@link TestBus}'s regions, with the refusals the real one
 * makes (EOPNOTSUPP for fsdax and devdax, ENOSPC naming the largest free extent, EBUSY for an enabled
 * namespace without force). region0 is labeled and starts with its seed {@code namespace0.0}; region1
 * is label-less, one io namespace spanning it. Every mutating call is recorded in {@link #calls} before
 * it is judged, and what changed state in {@link #mutations}. As a {@link NamespaceProvider} it tells
 * the regions what it allocated, so their available sizes follow.
 */
public final class FakeNamespaces implements Namespaces, NamespaceProvider {

    /** One namespace device. */
    static final class Entry {
        final String dev;
        final String region;
        final boolean labeled;
        NamespaceMode mode = NamespaceMode.RAW;
        long offset;
        long size;
        Optional<UUID> uuid = Optional.empty();
        Optional<String> name = Optional.empty();
        OptionalInt sectorSize = OptionalInt.empty();
        boolean enabled;

        Entry(String dev, String region, boolean labeled) {
            this.dev = dev;
            this.region = region;
            this.labeled = labeled;
        }

        boolean seed() {
            return labeled && size == 0;
        }
    }

    private final Regions regions;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final List<String> mutations = new CopyOnWriteArrayList<>();

    public FakeNamespaces(Regions regions) {
        this.regions = regions;
        Entry seed = new Entry("namespace0.0", "region0", true);
        entries.put(seed.dev, seed);
        Entry io = new Entry("namespace1.0", "region1", false);
        io.size = regions.find("region1").orElseThrow().size();
        io.enabled = true;
        entries.put(io.dev, io);
    }

    /** A snapshot of every namespace, to compare before and after a refused command. */
    public synchronized List<NamespaceInfo> snapshot() {
        return list();
    }

    @Override
    public synchronized List<NamespaceInfo> list() {
        return entries.values().stream().sorted(Comparator.comparing((Entry e) -> e.region).thenComparing(e -> e.dev))
                .map(this::info).toList();
    }

    @Override
    public synchronized Optional<NamespaceInfo> info(String name) {
        return Optional.ofNullable(entries.get(name)).map(this::info);
    }

    @Override
    public synchronized Optional<Namespace> find(String name) {
        Entry e = entries.get(name);
        return e == null || !e.enabled ? Optional.empty() : Optional.of(new FakeNamespace(e, region(e.region)));
    }

    @Override
    public synchronized NamespaceInfo create(NamespaceSpec spec) {
        calls.add("create " + spec);
        if (!spec.mode().supported()) {
            throw new NvdimmException(Errno.EOPNOTSUPP, spec.mode().ndctlName()
                    + " mode is not supported; the supported modes are raw and sector");
        }
        Region region = region(spec.region().orElse("region0"));
        Entry seed = entries.values().stream().filter(e -> e.region.equals(region.name()) && e.seed()).findFirst()
                .orElseThrow(() -> new NvdimmException(Errno.ENOSPC, region.name() + ": no seed namespace"));
        long largest = region.maxAvailableExtent();
        long size = spec.size().orElse(largest);
        if (size > largest || size == 0) {
            throw new NvdimmException(Errno.ENOSPC, region.name() + ": the largest free extent is " + largest + " bytes");
        }
        seed.offset = firstFit(region, size);
        seed.size = size;
        seed.mode = spec.mode();
        seed.uuid = Optional.of(spec.uuid().orElse(UUID.randomUUID()));
        seed.name = spec.name();
        seed.sectorSize = spec.sectorSize().isPresent() ? spec.sectorSize()
                : OptionalInt.of(spec.mode() == NamespaceMode.SECTOR ? 4096 : 512);
        seed.enabled = true;
        int next = entries.values().stream().filter(e -> e.region.equals(region.name()))
                .mapToInt(e -> Integer.parseInt(e.dev.substring(e.dev.indexOf('.') + 1))).max().orElse(0) + 1;
        String regionId = region.name().substring("region".length());
        Entry newSeed = new Entry("namespace" + regionId + "." + next, region.name(), true);
        entries.put(newSeed.dev, newSeed);
        mutations.add("created " + seed.dev);
        return info(seed);
    }

    @Override
    public synchronized NamespaceInfo reconfigure(String name, NamespaceSpec spec, boolean force) {
        calls.add("reconfigure " + name + " " + spec + " force=" + force);
        Entry e = existing(name);
        if (e.enabled && !force) {
            throw new NvdimmException(Errno.EBUSY, name + ": is enabled; reconfiguring it needs force");
        }
        if (!spec.mode().supported()) {
            throw new NvdimmException(Errno.EOPNOTSUPP, spec.mode().ndctlName()
                    + " mode is not supported; the supported modes are raw and sector");
        }
        e.mode = spec.mode();
        spec.uuid().ifPresent(u -> e.uuid = Optional.of(u));
        spec.name().ifPresent(n -> e.name = Optional.of(n));
        if (spec.sectorSize().isPresent()) {
            e.sectorSize = spec.sectorSize();
        }
        e.enabled = true;
        mutations.add("reconfigured " + name);
        return info(e);
    }

    @Override
    public synchronized void destroy(String name, boolean force) {
        calls.add("destroy " + name + " force=" + force);
        Entry e = existing(name);
        if (e.enabled && !force) {
            throw new NvdimmException(Errno.EBUSY, name + ": is enabled; destroying it needs force");
        }
        if (e.labeled) {
            entries.remove(name);
        }
        mutations.add("destroyed " + name);
    }

    @Override
    public synchronized void enable(String name) {
        calls.add("enable " + name);
        Entry e = existing(name);
        if (e.seed()) {
            throw new NvdimmException(Errno.ENXIO, name + ": has no capacity; a seed cannot be enabled");
        }
        e.enabled = true;
        mutations.add("enabled " + name);
    }

    @Override
    public synchronized void disable(String name) {
        calls.add("disable " + name);
        existing(name).enabled = false;
        mutations.add("disabled " + name);
    }

    @Override
    public void enumerate(Region region) {
        // the devices are the fake's own; nothing to register with the region
    }

    @Override
    public synchronized List<Extent> allocations(Region region) {
        return entries.values().stream().filter(e -> e.region.equals(region.name()) && e.size > 0)
                .map(e -> new Extent(e.offset, e.size)).toList();
    }

    private Entry existing(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new NvdimmException(Errno.ENODEV, name + ": no such namespace");
        }
        return e;
    }

    private Region region(String name) {
        return regions.find(name).orElseThrow(() -> new NvdimmException(Errno.ENXIO, name + ": disabled or absent"));
    }

    private long firstFit(Region region, long size) {
        long at = 0;
        List<Extent> used = new ArrayList<>(allocations(region));
        used.sort(Comparator.comparingLong(Extent::offset));
        for (Extent x : used) {
            if (x.offset() - at >= size) {
                return at;
            }
            at = Math.max(at, x.end());
        }
        return at;
    }

    /** {@code pmemR} for index 0, else {@code pmemR.N}. */
    static String diskName(Entry e) {
        String id = e.dev.substring("namespace".length());
        return id.endsWith(".0") ? "pmem" + id.substring(0, id.indexOf('.')) : "pmem" + id;
    }

    private NamespaceInfo info(Entry e) {
        Optional<String> blockdev = Optional.empty();
        if (e.enabled) {
            blockdev = Optional.of(diskName(e) + (e.mode == NamespaceMode.SECTOR ? "s" : ""));
        }
        List<Badblocks.Range> bad = List.of();
        Optional<Region> region = regions.find(e.region);
        if (region.isPresent() && e.size > 0) {
            bad = clip(region.get().badblocks().ranges(), e.offset, e.size);
        }
        return new NamespaceInfo(e.dev, e.region, e.labeled, e.seed(), e.mode, e.size, e.uuid, e.name,
                e.labeled ? e.sectorSize : OptionalInt.empty(), blockdev, e.enabled, Optional.empty(), bad);
    }

    static List<Badblocks.Range> clip(List<Badblocks.Range> ranges, long offset, long size) {
        long first = offset / Badblocks.SECTOR_SIZE;
        long end = first + size / Badblocks.SECTOR_SIZE;
        return ranges.stream().filter(r -> r.end() > first && r.sector() < end)
                .map(r -> new Badblocks.Range(Math.max(r.sector(), first) - first,
                        Math.min(r.end(), end) - Math.max(r.sector(), first))).toList();
    }

    /** An enabled namespace: where it lies, for the error commands. */
    private record FakeNamespace(Entry e, Region region) implements Namespace {
        @Override
        public String name() {
            return e.dev;
        }

        @Override
        public String diskName() {
            return FakeNamespaces.diskName(e);
        }

        @Override
        public Device device() {
            throw new UnsupportedOperationException("the fake has no devices");
        }

        @Override
        public boolean labeled() {
            return e.labeled;
        }

        @Override
        public Optional<UUID> uuid() {
            return e.uuid;
        }

        @Override
        public Optional<String> altName() {
            return e.name;
        }

        @Override
        public long regionOffset() {
            return e.offset;
        }

        @Override
        public long size() {
            return e.size;
        }

        @Override
        public int lbaSize() {
            return e.sectorSize.orElse(512);
        }

        @Override
        public ClaimClass claimClass() {
            return ClaimClass.NONE;
        }

        @Override
        public Optional<String> labelVersion() {
            return e.labeled ? Optional.of("1.2") : Optional.empty();
        }

        @Override
        public NamespaceMode mode() {
            return e.mode;
        }

        @Override
        public boolean isActive() {
            return e.enabled;
        }

        @Override
        public List<Badblocks.Range> badblocks() {
            return clip(region.badblocks().ranges(), e.offset, e.size);
        }

        @Override
        public void read(long offset, MemorySegment dst) {
            region.medium().read(e.offset + offset, dst);
        }

        @Override
        public void write(long offset, MemorySegment src, boolean atomic) {
            region.medium().write(e.offset + offset, src);
        }

        @Override
        public void read(long offset, MemorySegment dst, long dstOffset, long len) {
            region.medium().read(e.offset + offset, dst, dstOffset, len);
        }

        @Override
        public void write(long offset, MemorySegment src, long srcOffset, long len, boolean atomic) {
            region.medium().write(e.offset + offset, src, srcOffset, len);
        }

        @Override
        public int readInt(long offset) {
            return region.medium().readInt(e.offset + offset);
        }

        @Override
        public long readLong(long offset) {
            return region.medium().readLong(e.offset + offset);
        }

        @Override
        public void writeInt(long offset, int value) {
            region.medium().writeInt(e.offset + offset, value);
        }

        @Override
        public void writeLong(long offset, long value) {
            region.medium().writeLong(e.offset + offset, value);
        }

        @Override
        public boolean isBad(long offset, long length) {
            return length > 0 && !clip(region.badblocks().ranges(), e.offset + offset, length).isEmpty();
        }

        @Override
        public void flush() {
            region.flush();
        }

        @Override
        public Claim claim(String holder) {
            throw new NvdimmException(Errno.EBUSY, e.dev + ": the fake takes no claims");
        }

        @Override
        public Optional<String> claimedBy() {
            return Optional.empty();
        }
    }
}
