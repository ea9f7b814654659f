package nvdimm.namespace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
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

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The raw pmem disk ({@code pmem0}, the io namespace of a label-less 64 MiB region, built by the real
 * device core, region driver and namespace core) against {@code MemorySegment.copy} of the same size on the
 * same kind of memory: a native segment for the memory medium, and a second mapping of the very file the
 * mapped-file medium maps. Random sector-aligned offsets over the whole device, from a precomputed
 * sequence per thread; each write of the disk also persists (a fence on these media), the copy does not.
 * Run with {@code -t 1} and {@code -t 2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RawDiskBenchmark {
    static final long SIZE = 64L << 20;

    @State(Scope.Benchmark)
    public static class Disk {
        @Param({"memory", "file"})
        public String medium;

        Path file;
        Medium regionMedium;
        Arena arena;
        MemorySegment copyTarget;
        CoreImpl core;
        BlockDevice pmem;

        @Setup(Level.Trial)
        public void open() throws Exception {
            Medium m;
            arena = Arena.ofShared();
            if (medium.equals("file")) {
                file = Files.createTempFile("rawdisk", ".img");
                m = Media.mapFile(file, SIZE, nvdimm.bus.MapOption.EXTEND);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    copyTarget = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
                }
            } else {
                m = Media.memory("bench.region", SIZE);
                copyTarget = arena.allocate(SIZE, 4096);
            }
            regionMedium = m;
            Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
            TestlessPublisher publisher = new TestlessPublisher();
            core = new CoreImpl(lockdep, publisher, new CoreConfig(1, Duration.ofSeconds(10)));
            RegionDriver regions = new RegionDriver(lockdep, core, Map.of());
            core.addDriver(regions);
            DiskHolder disks = new DiskHolder();
            NamespaceCore ns = new NamespaceCore(lockdep, core, region -> LABEL_LESS, disks);
            publisher.namespaces = ns;
            core.addDriver(ns.driver());
            Method bind = RegionDriver.class.getDeclaredMethod("bindNamespaceProvider", NamespaceProvider.class);
            bind.setAccessible(true);
            bind.invoke(regions, ns);
            core.addProvider(new OneRegion(m));
            if (!core.waitProbeIdle(Duration.ofSeconds(30))) {
                throw new IllegalStateException("probes still running");
            }
            pmem = disks.disk;
            if (pmem == null) {
                throw new IllegalStateException("no raw disk was registered");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            core.close();
            regionMedium.close();
            arena.close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    @State(Scope.Thread)
    public static class Io {
        @Param({"4096", "512"})
        public int size;

        MemorySegment buffer;
        long[] offsets;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            buffer = Arena.ofAuto().allocate(size, 64);
            buffer.fill((byte) 0x5a);
            SplittableRandom r = new SplittableRandom(new Random().nextLong());
            offsets = new long[4096];
            long slots = SIZE / size;
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = r.nextLong(slots) * size;
            }
        }

        long offset() {
            next = (next + 1) & (offsets.length - 1);
            return offsets[next];
        }
    }

    @Benchmark
    public void pmemWrite(Disk d, Io io) {
        d.pmem.write(io.offset() / 512, io.buffer);
    }

    @Benchmark
    public void copyWrite(Disk d, Io io) {
        MemorySegment.copy(io.buffer, 0, d.copyTarget, io.offset(), io.size);
    }

    @Benchmark
    public void pmemRead(Disk d, Io io) {
        d.pmem.read(io.offset() / 512, io.buffer);
    }

    /** The region's medium itself, without the disk: what the disk's own checks add is pmemRead less this. */
    @Benchmark
    public void mediumRead(Disk d, Io io) {
        d.regionMedium.read(io.offset(), io.buffer, 0, io.size);
    }

    @Benchmark
    public void mediumWrite(Disk d, Io io) {
        long at = io.offset();
        d.regionMedium.write(at, io.buffer, 0, io.size);
        d.regionMedium.persist(at, io.size);
    }

    @Benchmark
    public void copyRead(Disk d, Io io) {
        MemorySegment.copy(d.copyTarget, io.offset(), io.buffer, 0, io.size);
    }

    // ------------------------------------------------------------------ the stack around the disk

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

        OneRegion(Medium medium) {
            this.medium = medium;
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
            return List.of(new RegionDescriptor(1L << 32, SIZE, List.of(), 1, 0, 4096,
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
