package nvdimm.namespace.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.bus.internal.core.Publisher;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.internal.labels.LabeledNamespace;
import nvdimm.namespace.internal.labels.RegionLabels;
import nvdimm.namespace.internal.labels.UnassembledSet;
import nvdimm.region.Extent;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.internal.RegionDriver;

/**
 * The raw pmem disk ({@code pmem0}) of a label-less region over a given medium, built by the real device
 * core, region driver and namespace core, for the benchmarks ({@link RawDiskBenchmark}, and the BTT's, which
 * compares against it).
 */
public final class RawDiskStack implements AutoCloseable {
    private final CoreImpl core;
    private final BlockDevice pmem;

    private RawDiskStack(CoreImpl core, BlockDevice pmem) {
        this.core = core;
        this.pmem = pmem;
    }

    /**
     * Builds the stack over {@code medium} (one region of {@code size} bytes) and waits for its raw disk.
     *
     * @param mode the validator's mode for every lock of the stack
     */
    public static RawDiskStack open(Medium medium, long size, LockdepMode mode) throws Exception {
        Lockdep lockdep = new Lockdep(mode, r -> { });
        TestlessPublisher publisher = new TestlessPublisher();
        CoreImpl core = new CoreImpl(lockdep, publisher, new CoreConfig(1, Duration.ofSeconds(10)));
        RegionDriver regions = new RegionDriver(lockdep, core, Map.of());
        core.addDriver(regions);
        DiskHolder disks = new DiskHolder();
        NamespaceCore ns = new NamespaceCore(lockdep, core, region -> LABEL_LESS, disks);
        publisher.namespaces = ns;
        core.addDriver(ns.driver());
        Method bind = RegionDriver.class.getDeclaredMethod("bindNamespaceProvider", NamespaceProvider.class);
        bind.setAccessible(true);
        bind.invoke(regions, ns);
        core.addProvider(new OneRegion(medium, size));
        if (!core.waitProbeIdle(Duration.ofSeconds(30))) {
            core.close();
            throw new IllegalStateException("probes still running");
        }
        BlockDevice pmem = disks.disk;
        if (pmem == null) {
            core.close();
            throw new IllegalStateException("no raw disk was registered");
        }
        return new RawDiskStack(core, pmem);
    }

    /** The raw disk. */
    public BlockDevice pmem() {
        return pmem;
    }

    /** Takes the stack down; the medium stays the caller's. */
    @Override
    public void close() {
        core.close();
    }

    /** A label-less region: one io namespace spanning it. */
    static final RegionLabels LABEL_LESS = new RegionLabels() {
        @Override
        public boolean labeled() {
            return false;
        }

        @Override
        public String version() {
            return "1.2";
        }

        @Override
        public List<LabeledNamespace> namespaces() {
            return List.of();
        }

        @Override
        public List<UnassembledSet> unassembled() {
            return List.of();
        }

        @Override
        public List<Extent> reserved() {
            return List.of();
        }

        @Override
        public int freeSlots() {
            return 0;
        }

        @Override
        public void write(LabeledNamespace namespace) {
            throw new NvdimmException(Errno.EOPNOTSUPP, "label-less");
        }

        @Override
        public void delete(UUID uuid) {
            throw new NvdimmException(Errno.EOPNOTSUPP, "label-less");
        }
    };

    /** Keeps the raw disk the namespace driver registers. */
    static final class DiskHolder implements DiskPublisher {
        volatile BlockDevice disk;

        @Override
        public Registration publish(BlockDevice d, Map<String, Object> properties) {
            disk = d;
            return () -> disk = null;
        }
    }

    /** Publishes nothing; tells the namespace core when a device's service goes, as the bundle's listener does. */
    static final class TestlessPublisher implements Publisher {
        volatile NamespaceCore namespaces;

        @Override
        public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
            return () -> {
                NamespaceCore ns = namespaces;
                if (ns != null && types.contains(nvdimm.bus.Device.class)) {
                    ns.deviceWithdrawn((String) properties.get(nvdimm.bus.Device.SERVICE_DEV));
                }
            };
        }

        @Override
        public void post(String topic, Map<String, Object> properties) {
        }
    }

    /** One region without DIMMs over the given medium; no commands. */
    static final class OneRegion implements BusProvider, CommandHandler {
        private final Medium medium;
        private final long size;

        OneRegion(Medium medium, long size) {
            this.medium = medium;
            this.size = size;
        }

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public List<DimmDescriptor> dimms() {
            return List.of();
        }

        @Override
        public List<RegionDescriptor> regions() {
            return List.of(new RegionDescriptor(1L << 32, size, List.of(), 1, 0, 4096,
                    PersistenceDomain.MEMORY_CONTROLLER, medium, null));
        }

        @Override
        public CommandHandler commands() {
            return this;
        }

        private static NvdimmException none() {
            return new NvdimmException(Errno.EOPNOTSUPP, "bench: no commands");
        }

        @Override
        public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
            throw none();
        }

        @Override
        public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
            throw none();
        }

        @Override
        public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
            throw none();
        }

        @Override
        public void startScrub(long address, long length) {
            throw none();
        }

        @Override
        public ScrubStatus scrubStatus() {
            throw none();
        }

        @Override
        public long clearError(long address, long length) {
            throw none();
        }

        @Override
        public void injectError(long address, long length) {
            throw none();
        }

        @Override
        public void uninjectError(long address, long length) {
            throw none();
        }

        @Override
        public List<ErrorRecord> injectedErrors() {
            throw none();
        }

        @Override
        public DimmHealth health(DimmDescriptor dimm) {
            throw none();
        }
    }
}
