package nvdimm.region.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;

/**
 * Lays out a test provider's DIMMs and regions as QEMU does: DIMM {@code h} has QEMU's identity for slot
 * {@code h} (vendor 0x8086, device 1, serial 0x123456 + h) and no label area; region {@code k} starts at
 * {@link #BASE} + k GiB and interleaves its DIMMs in {@link #GRANULARITY} steps; its medium is memory
 * unless a test chooses others. A module's test provider extends it with its own {@code build()}.
 * Shared with later modules' tests through this module's test-jar.
 *
 * @param <B> the concrete builder, which every step returns
 */
public abstract class BusBuilder<B extends BusBuilder<B>> {
    public static final long GRANULARITY = 4096;
    public static final long BASE = 1L << 32;
    public static final long REGION_STRIDE = 1L << 30;

    private final String name;
    private final List<DimmDescriptor> dimms = new ArrayList<>();
    private final List<RegionDescriptor> regions = new ArrayList<>();
    private long dimmSize;
    private long align = 4096;
    private BiFunction<String, Long, Medium> media = Media::memory;

    protected BusBuilder(String name, long dimmSize) {
        this.name = name;
        this.dimmSize = dimmSize;
    }

    /** QEMU's identity for slot {@code handle}: vendor 0x8086, device 1, serial 0x123456 + slot; no label area. */
    public static DimmDescriptor qemuDimm(int handle, long size) {
        return new DimmDescriptor(handle, handle, 0x8086, 1, 1, 0, 0, 0x123456 + handle, size, 0, Set.of());
    }

    protected abstract B self();

    protected final String name() {
        return name;
    }

    protected final List<DimmDescriptor> dimmDescriptors() {
        return dimms;
    }

    protected final List<RegionDescriptor> regionDescriptors() {
        return regions;
    }

    /** The size of the DIMMs added after this. */
    public final B dimmSize(long size) {
        dimmSize = size;
        return self();
    }

    public final B align(long a) {
        align = a;
        return self();
    }

    /** Makes each region's medium from its name and size. */
    public final B media(BiFunction<String, Long, Medium> factory) {
        media = factory;
        return self();
    }

    public final B dimms(int count) {
        for (int i = 0; i < count; i++) {
            dimms.add(qemuDimm(dimms.size(), dimmSize));
        }
        return self();
    }

    public final B dimm(DimmDescriptor d) {
        dimms.add(d);
        return self();
    }

    public final long nextAddress() {
        return BASE + regions.size() * REGION_STRIDE;
    }

    /** A region interleaving the DIMMs with these handles, in position order. */
    public final B region(int... handles) {
        return region(PersistenceDomain.MEMORY_CONTROLLER, null, handles);
    }

    public final B region(PersistenceDomain domain, FlushHandler flush, int... handles) {
        int ways = handles.length;
        List<Mapping> mappings = new ArrayList<>();
        for (int pos = 0; pos < ways; pos++) {
            mappings.add(new Mapping(handles[pos], 0, dimmSize, pos, ways == 1 ? 0 : pos * GRANULARITY));
        }
        long size = dimmSize * ways;
        return region(new RegionDescriptor(nextAddress(), size, mappings, ways, ways == 1 ? 0 : GRANULARITY,
                align, domain, media.apply(name + ".region" + regions.size(), size), flush));
    }

    /** A region without DIMMs (virtio-pmem style). */
    public final B dimmless(long size) {
        return dimmless(size, PersistenceDomain.MEMORY_CONTROLLER, null);
    }

    public final B dimmless(long size, PersistenceDomain domain, FlushHandler flush) {
        return region(new RegionDescriptor(nextAddress(), size, List.of(), 1, 0, align, domain,
                media.apply(name + ".region" + regions.size(), size), flush));
    }

    public final B region(RegionDescriptor d) {
        regions.add(d);
        return self();
    }
}
