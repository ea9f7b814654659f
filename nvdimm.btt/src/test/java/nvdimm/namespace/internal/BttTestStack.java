package nvdimm.namespace.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.btt.internal.device.BttDevices;
import nvdimm.bus.Device;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.bus.spi.BusProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.Namespaces;
import nvdimm.namespace.internal.labels.RegionLabelReaderComponent;
import nvdimm.region.Region;
import nvdimm.region.internal.BttTestBuses;
import nvdimm.region.internal.RegionDriver;
import nvdimm.region.testing.TestPublisher;

/**
 * The stack a BTT device lives in, without OSGi: a real device core on a THROW-mode validator, the region
 * driver, the namespace core and the BTT bundle's {@link BttDevices} as driver and mode provider, with the
 * namespace tracker played by the publisher's hook (a {@code Namespace} published is handed to it, inside the
 * publication as a synchronous service listener gets it). {@link #restart()} builds it again over the same
 * buses, as a process restart would. Raw disks and the core's publications are recorded, with every framework
 * call made under a device lock as a violation.
 */
public final class BttTestStack implements AutoCloseable {
    public Lockdep lockdep;
    public TestPublisher publisher;
    public CoreImpl core;
    public RegionDriver regions;
    public NamespaceCore namespaces;
    public BttDevices btt;
    public final Map<String, BlockDevice> rawDisks = new ConcurrentHashMap<>();
    public final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<BusProvider> buses = new ArrayList<>();
    private final java.util.function.BiFunction<CoreImpl, Lockdep, BttDevices> bttFactory;

    public BttTestStack(BusProvider... bs) {
        this(BttDevices::new, bs);
    }

    /** With the BTT bundle's core built by {@code bttFactory} (a test double). */
    public BttTestStack(java.util.function.BiFunction<CoreImpl, Lockdep, BttDevices> bttFactory, BusProvider... bs) {
        this.bttFactory = bttFactory;
        buses.addAll(List.of(bs));
        boot();
    }

    private void boot() {
        lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        publisher = new TestPublisher(lockdep);
        core = new CoreImpl(lockdep, publisher, new CoreConfig(2, Duration.ofSeconds(10)));
        regions = new RegionDriver(lockdep, core, Map.of());
        core.addDriver(regions);
        namespaces = new NamespaceCore(lockdep, core, new RegionLabelReaderComponent(), (disk, props) -> {
            TestPublisher.checkNoDeviceLock(lockdep, violations, "register " + disk.name());
            rawDisks.put(disk.name(), disk);
            return () -> {
                TestPublisher.checkNoDeviceLock(lockdep, violations, "withdraw " + disk.name());
                rawDisks.remove(disk.name(), disk);
            };
        });
        btt = bttFactory.apply(core, lockdep);
        publisher.onPublish = p -> {
            if (p.types().contains(Namespace.class)) {
                btt.namespaceAdded((Namespace) p.service());
            }
        };
        publisher.onWithdraw = p -> {
            if (p.types().contains(Device.class)) {
                namespaces.deviceWithdrawn(p.dev());
            }
        };
        core.addDriver(namespaces.driver());
        core.addDriver(btt);
        namespaces.addModeProvider(btt);
        BttTestBuses.bindNamespaceProvider(regions, namespaces);
        for (BusProvider b : buses) {
            core.addProvider(b);
        }
        idle();
    }

    /** The BTT's mode provider leaves the namespace core (its bundle stops). */
    public void stopModeProvider() {
        namespaces.removeModeProvider(btt);
    }

    /** The BTT's mode provider comes back. */
    public void startModeProvider() {
        namespaces.addModeProvider(btt);
    }

    /** Stops the stack (the media stay) and starts it again. */
    public void restart() {
        shutdown();
        boot();
    }

    private void shutdown() {
        for (BusProvider b : buses) {
            core.removeProvider(b);
        }
        BttTestBuses.deactivate(regions);
        core.close();
    }

    public void idle() {
        if (!core.waitProbeIdle(Duration.ofSeconds(20))) {
            throw new AssertionError("probes still running after 20 s");
        }
    }

    public Namespaces ops() {
        return namespaces;
    }

    public Region region(String name) {
        return regions.find(name).orElseThrow(() -> new AssertionError(name + " is not enabled"));
    }

    /** The published block device of that name: a raw disk, or a BTT's (a service of the core's publisher). */
    public Optional<BlockDevice> disk(String name) {
        BlockDevice raw = rawDisks.get(name);
        if (raw != null) {
            return Optional.of(raw);
        }
        return publisher.services(BlockDevice.class).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Validator reports and framework calls under a device lock, of the core's publisher and of raw disks. */
    public List<String> problems() {
        idle();
        List<String> out = new ArrayList<>();
        lockdep.reports().forEach(r -> out.add("validator: " + r));
        out.addAll(publisher.violations);
        out.addAll(violations);
        return out;
    }

    @Override
    public void close() {
        if (core != null) {
            shutdown();
        }
        buses.forEach(BttTestBuses::close);
    }
}
