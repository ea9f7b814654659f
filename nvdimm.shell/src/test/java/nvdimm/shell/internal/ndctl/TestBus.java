package nvdimm.shell.internal.ndctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

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
import nvdimm.bus.spi.DimmFlag;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.bus.testing.FixedProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.internal.RegionDriver;

/**
 * The real device core and region driver with a small provider: two QEMU-like DIMMs (slots 0 and
 * 1, 128 KiB label areas) in one region each, on memory; region1 has a provider flush. The
 * {@code fail*} fields make a command fail with an errno, as a provider might.
 */
final class TestBus implements AutoCloseable {

    static final long DIMM_SIZE = 1 << 20;

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    final CoreImpl core = new CoreImpl(lockdep, new NoPublisher(), CoreConfig.DEFAULT);
    /** The real region driver, with its configuration's defaults (no properties). */
    final RegionDriver regions = new RegionDriver(lockdep, core, Map.of());
    private final List<Medium> media = new ArrayList<>();
    /** Poison injected through the command handler, which a scrub reports. */
    private final List<ErrorRecord> poison = new CopyOnWriteArrayList<>();
    volatile Errno failLabelSize;
    /** When set, region1's provider flush fails with this errno. */
    volatile Errno failFlush;

    /** Bytes per DIMM (and region). */
    final long dimmSize;

    TestBus(String provider) {
        this(provider, DIMM_SIZE);
    }

    /** With DIMMs (and regions) of this size, in memory. */
    TestBus(String provider, long dimmSize) {
        this.dimmSize = dimmSize;
        core.addDriver(regions);
        core.addProvider(provider(provider));
        core.waitProbeIdle();
    }

    private BusProvider provider(String name) {
        List<DimmDescriptor> dimms = List.of(dimm(0, Set.of(), dimmSize), dimm(1, Set.of(DimmFlag.FAILED_ARM), dimmSize));
        List<RegionDescriptor> regions = new ArrayList<>();
        for (DimmDescriptor d : dimms) {
            Medium m = Media.memory(name + ".region" + d.handle(), dimmSize);
            media.add(m);
            FlushHandler flush = d.handle() == 2 ? () -> {
                Errno e = failFlush;
                return e == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new NvdimmException(e, name + ": flush of region1"));
            } : null;
            regions.add(new RegionDescriptor((d.handle() + 1L) << 32, dimmSize,
                    List.of(new Mapping(d.handle(), 0, dimmSize, 0, 0)), 1, 0, 4096,
                    PersistenceDomain.MEMORY_CONTROLLER, m, flush));
        }
        CommandHandler commands = new CommandHandler() {
            @Override
            public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
                Errno e = failLabelSize;
                if (e != null) {
                    throw new NvdimmException(e, name + ": label size of DIMM " + dimm.handle());
                }
                return new LabelAreaInfo(dimm.labelAreaSize(), 4076);
            }

            @Override
            public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
            }

            @Override
            public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
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
                poison.removeIf(r -> r.address() >= address && r.address() + r.length() <= address + length);
                return length;
            }

            @Override
            public void injectError(long address, long length) {
                poison.add(new ErrorRecord(address, length));
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
                return new DimmHealth("ok", 25.0, 100, 1, "clean");
            }
        };
        return new FixedProvider<>(name, dimms, regions, commands);
    }

    static DimmDescriptor dimm(int slot, Set<DimmFlag> flags, long size) {
        return new DimmDescriptor(slot + 1, slot, 0x8086, 1, 1, 0, 0, 0x123456 + slot, size, 128 * 1024, flags);
    }

    /** Binds a namespace provider to the region driver, as SCR binds the namespace bundle's. */
    void bindNamespaceProvider(nvdimm.region.NamespaceProvider provider) {
        try {
            var bind = RegionDriver.class.getDeclaredMethod("bindNamespaceProvider", nvdimm.region.NamespaceProvider.class);
            bind.setAccessible(true);
            bind.invoke(regions, provider);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("binding a namespace provider to the region driver", e);
        }
    }

    @Override
    public void close() {
        core.close();
        media.forEach(Medium::close);
    }

    /** Tests run the core without a framework: nothing is published. */
    private static final class NoPublisher implements Publisher {
        @Override
        public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
            return () -> { };
        }

        @Override
        public void post(String topic, Map<String, Object> properties) {
        }
    }
}
