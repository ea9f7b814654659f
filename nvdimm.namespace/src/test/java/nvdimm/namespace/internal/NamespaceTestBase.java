package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

import nvdimm.bus.Device;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.region.Region;
import nvdimm.region.internal.RegionDriver;
import nvdimm.region.internal.RegionDriverAccess;
import nvdimm.region.testing.TestPublisher;

import org.junit.jupiter.api.AfterEach;

/**
 * A real device core on a THROW-mode validator, the region driver and the namespace core over the label
 * double, with recorders for what is published. {@link #restart()} builds all of it again over the same
 * buses (media) and label double, as a process restart would.
 */
abstract class NamespaceTestBase {
    static final long MIB = 1L << 20;

    Lockdep lockdep;
    TestPublisher publisher;
    TestDisks disks;
    CoreImpl core;
    RegionDriver regions;
    NamespaceCore namespaces;
    final FakeLabels labels = new FakeLabels();
    final List<TestBus> buses = new ArrayList<>();

    /** Starts the stack with these buses (kept across restarts). */
    void start(TestBus... bs) {
        buses.addAll(List.of(bs));
        boot();
    }

    NamespaceCore newCore() {
        return new NamespaceCore(lockdep, core, labels, disks);
    }

    /** The validator's mode; subclasses run the same tests in WARN and OFF, where protections must hold too. */
    LockdepMode validatorMode() {
        return LockdepMode.THROW;
    }

    private void boot() {
        lockdep = new Lockdep(validatorMode(), r -> { });
        publisher = new TestPublisher(lockdep);
        disks = new TestDisks(lockdep);
        core = new CoreImpl(lockdep, publisher, new CoreConfig(2, Duration.ofSeconds(10)));
        regions = new RegionDriver(lockdep, core, Map.of());
        core.addDriver(regions);
        namespaces = newCore();
        publisher.onWithdraw = p -> { // as the component's synchronous service listener reports it
            if (p.types().contains(Device.class)) {
                namespaces.deviceWithdrawn(p.dev());
            }
        };
        core.addDriver(namespaces.driver());
        RegionDriverAccess.bindNamespaceProvider(regions, namespaces);
        for (TestBus b : buses) {
            core.addProvider(b);
        }
        idle();
    }

    /** Stops the stack (the media stay) and starts it again. */
    void restart() {
        assertClean();
        shutdown();
        boot();
    }

    private void shutdown() {
        for (TestBus b : buses) {
            core.removeProvider(b);
        }
        RegionDriverAccess.deactivate(regions);
        core.close();
    }

    @AfterEach
    void stop() {
        if (core != null) {
            shutdown();
        }
        buses.forEach(TestBus::close);
    }

    void idle() {
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(20)), "probes still running after 20 s");
    }

    Region region(String name) {
        return regions.find(name).orElseThrow(() -> new AssertionError(name + " is not enabled"));
    }

    Device dev(String name) {
        return core.find(name).orElseThrow(() -> new AssertionError(name + " is not registered"));
    }

    NamespaceInfo info(String name) {
        return namespaces.info(name).orElseThrow(() -> new AssertionError(name + " is not listed"));
    }

    /** "namespace0.0 seed=false enabled=true size=..." per listed namespace. */
    List<String> names() {
        return namespaces.list().stream().map(NamespaceInfo::dev).toList();
    }

    /** What a refused call must leave as it was: labels, devices and their states, disks, capacities. */
    String state() {
        String devices = core.devices().stream().map(d -> d.name() + ":" + d.state()).collect(Collectors.joining(","));
        String caps = regions.list().stream().map(r -> r.name() + ":" + r.availableSize() + "/" + r.maxAvailableExtent())
                .collect(Collectors.joining(","));
        return labels.snapshot() + devices + "\n" + new java.util.TreeSet<>(disks.active.keySet()) + "\n" + caps + "\n"
                + namespaces.list();
    }

    static NamespaceSpec spec(String region, long size) {
        return new NamespaceSpec(Optional.ofNullable(region), size == 0 ? OptionalLong.empty() : OptionalLong.of(size),
                NamespaceMode.RAW, Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    static NamespaceSpec spec(String region, long size, NamespaceMode mode, UUID uuid, String name, Integer sectorSize) {
        return new NamespaceSpec(Optional.ofNullable(region), size == 0 ? OptionalLong.empty() : OptionalLong.of(size),
                mode, Optional.ofNullable(uuid), Optional.ofNullable(name),
                sectorSize == null ? OptionalInt.empty() : OptionalInt.of(sectorSize));
    }

    static NvdimmException refused(Errno errno, org.junit.jupiter.api.function.Executable call) {
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e::getMessage);
        return e;
    }

    /** No validator report, no framework call under a device lock, no overlapping labels. */
    void assertClean() {
        idle();
        assertEquals(List.of(), lockdep.reports(), () -> "validator reports: " + lockdep.reports());
        assertEquals(List.of(), publisher.violations);
        assertEquals(List.of(), disks.violations);
        assertEquals(List.of(), labels.violations);
    }

    /** A bus with a labeled 2-way region (region0, 64 MiB) and a label-less region without DIMMs (region1, 32 MiB). */
    TestBus standardBus() {
        TestBus b = TestBus.builder("test").dimms(2).region(0, 1).dimmless(32 * MIB).build();
        labels.labeled("region0");
        return b;
    }
}
