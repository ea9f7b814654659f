package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.testing.MediumEvent;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.region.Extent;
import nvdimm.region.LanePolicy;
import nvdimm.region.Region;
import nvdimm.region.RegionMapping;

import org.junit.jupiter.api.Test;

class RegionDriverTest extends RegionTestBase {
    static final long D = TestBus.DIMM_SIZE;

    @Test
    void everyRegionIsBoundAndPublishedWithTheDevicesProperties() {
        driver();
        NvdimmBus bus = bring(TestBus.qemu("emul.0", 3));
        idle();
        List<Region> published = publisher.services(Region.class);
        assertEquals(3, published.size());
        assertEquals(List.of("region0", "region1", "region2"), driver.list().stream().map(Region::name).toList());
        Region r0 = region("region0");
        assertTrue(published.contains(r0));
        assertEquals(Map.of(Device.SERVICE_DEV, "region0", Device.SERVICE_BUS, bus.name(), Device.SERVICE_TYPE, "nd_pmem"),
                publisher.properties(r0));
        RegionDevice dev = (RegionDevice) dev("region0");
        assertSame(dev, r0.device());
        assertEquals(DeviceState.ENABLED, dev.state());
        assertEquals(Optional.of("nd_region"), dev.driverName());
        assertSame(r0, dev.driverData(Region.class).orElseThrow());
        assertSame(bus, r0.bus());
        assertClean();
    }

    @Test
    void listingIsInIdOrder() {
        driver();
        bring(TestBus.qemu("emul.0", 24));
        idle();
        List<String> expected = new java.util.ArrayList<>();
        for (int k = 0; k < 24; k++) {
            expected.add("region" + k);
        }
        assertEquals(expected, driver.list().stream().map(Region::name).toList());
    }

    @Test
    void theRegionDescribesItselfAsNdctlListsIt() {
        driver();
        TestBus tb = TestBus.qemu("emul.0", 3);
        bring(tb);
        idle();
        Region r1 = region("region1");
        RegionDescriptor d = tb.region(1);
        assertEquals(1, r1.id());
        assertEquals(d.address(), r1.address());
        assertEquals(D, r1.size());
        assertEquals(D, r1.availableSize(), "no namespace provider: all of it is available");
        assertEquals(D, r1.maxAvailableExtent());
        assertEquals(4096, r1.align());
        assertEquals(PersistenceDomain.MEMORY_CONTROLLER, r1.persistenceDomain());
        assertEquals(1, r1.interleaveWays());
        assertEquals(0, r1.interleaveGranularity());
        assertSame(d.medium(), r1.medium());
        assertEquals(List.of(new RegionMapping("nmem1", 1, 0, D, 0, 0)), r1.mappings());
        assertEquals(0x002468AE00123457L, r1.cookies().orElseThrow().cookie1(), "QEMU slot 1, v1.1");
        assertEquals(0x00BA901C0012B4DDL, r1.cookies().orElseThrow().cookie2(), "QEMU slot 1, v1.2");
        assertEquals(List.of(), r1.namespaces());
        assertEquals(List.of(), r1.badblocks().ranges());
        assertEquals(256, r1.lanes().count());
        assertEquals(LanePolicy.STICKY, r1.lanes().policy());
        assertTrue(r1.isActive());
        assertEquals("Region[region1]", r1.toString());
    }

    @Test
    void anInterleavedRegionListsItsMappingsInPositionOrderWithDimmNames() {
        driver();
        TestBus tb = TestBus.builder("emul.0").dimms(3).region(2, 0, 1).build();
        bring(tb);
        idle();
        Region r = region("region0");
        assertEquals(3 * D, r.size());
        assertEquals(3, r.interleaveWays());
        assertEquals(TestBus.GRANULARITY, r.interleaveGranularity());
        assertEquals(List.of(new RegionMapping("nmem2", 2, 0, D, 0, 0),
                new RegionMapping("nmem0", 0, 0, D, 1, TestBus.GRANULARITY),
                new RegionMapping("nmem1", 1, 0, D, 2, 2 * TestBus.GRANULARITY)), r.mappings());
        assertEquals(List.of(2, 0, 1), r.cookies().orElseThrow().labelOrder(), "ordered by region offset");
        assertEquals(nvdimm.region.InterleaveSetCookies.compute(tb.region(0).mappings(), tb.dimms()),
                r.cookies().orElseThrow());
    }

    @Test
    void mappingsDescribedOutOfOrderAreListedInPositionOrder() {
        driver();
        TestBus.Builder b = TestBus.builder("emul.0").dimms(2);
        b.region(new RegionDescriptor(b.nextAddress(), 2 * D, List.of(new Mapping(0, 0, D, 1, 4096),
                new Mapping(1, 0, D, 0, 0)), 2, 4096, 4096, PersistenceDomain.MEMORY_CONTROLLER,
                Media.memory("m", 2 * D), null));
        bring(b.build());
        idle();
        assertEquals(List.of(new RegionMapping("nmem1", 1, 0, D, 0, 0), new RegionMapping("nmem0", 0, 0, D, 1, 4096)),
                region("region0").mappings());
    }

    @Test
    void aRegionWithoutDimmsHasNoMappingsAndNoCookie() {
        driver();
        bring(TestBus.builder("virtio").dimmless(1 << 16, PersistenceDomain.UNKNOWN, null).build());
        idle();
        Region r = region("region0");
        assertEquals(List.of(), r.mappings());
        assertEquals(Optional.empty(), r.cookies());
        assertEquals(1, r.interleaveWays());
        assertEquals(PersistenceDomain.UNKNOWN, r.persistenceDomain());
        assertClean();
    }

    // ------------------------------------------------------------------ refusals at probe

    @Test
    void aMalformedDescriptionFailsTheProbeWithEinvalAndTheRegionStaysRegisteredButDisabled() {
        driver();
        TestBus.Builder b = TestBus.builder("emul.0").dimms(2).region(0);
        // two ways described, one mapping given: the core lets it through, the region driver does not
        b.region(new RegionDescriptor(b.nextAddress(), D, List.of(new Mapping(1, 0, D, 0, 0)), 2, 4096, 4096,
                PersistenceDomain.MEMORY_CONTROLLER, Media.memory("bad", D), null));
        bring(b.build());
        idle();
        Device bad = dev("region1");
        assertEquals(DeviceState.DISABLED, bad.state());
        NvdimmException e = bad.probeError().orElseThrow();
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region1: malformed region description: 2 interleave ways but 1 mappings (EINVAL)", e.getMessage());
        assertEquals(List.of("region0"), publisher.services(Region.class).stream().map(Region::name).toList());
        assertEquals(Optional.empty(), driver.find("region1"));
        NvdimmException again = assertThrows(NvdimmException.class, () -> driver.enable("region1"));
        assertEquals(Errno.EINVAL, again.errno());
        assertTrue(region("region0").isActive(), "the good region of the same bus is bound");
        assertClean();
    }

    @Test
    void zeroLanesIsRefusedAtRegionCreation() {
        driver(new RegionDriver.Settings(0, "hash"));
        bring(TestBus.qemu("emul.0", 2));
        idle();
        for (String name : List.of("region0", "region1")) {
            NvdimmException e = dev(name).probeError().orElseThrow();
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(name + ": 0 lanes: a region needs 1 to 256 lanes (configuration nvdimm.region, lanes) (EINVAL)",
                    e.getMessage());
        }
        assertEquals(List.of(), driver.list());
        assertEquals(List.of(), publisher.services(Region.class));
    }

    /**
     * Linux's {@code cpu % num_lanes} never puts two CPUs on one lane below 256 CPUs; {@code threadId %
     * lanes} puts live threads together at random (thread ids are not dense) for their lifetime. The
     * default policy gives threads no more than the lanes a lane each, whatever their ids.
     */
    @Test
    void theDefaultPolicyGivesThreadsFewerThanTheLanesALaneEachWhateverTheirIds() throws Exception {
        driver();
        bring(TestBus.qemu("emul.0", 1));
        idle();
        Region r = region("region0");
        assertEquals(LanePolicy.STICKY, r.lanes().policy());
        int lanes = r.lanes().count();
        // four threads whose ids are equal modulo the lane count, as live threads' ids can be
        List<Thread> threads = new java.util.ArrayList<>();
        List<Integer> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(4);
        long residue = -1;
        while (threads.size() < 4) {
            Thread t = new Thread(() -> {
                got.add(lane(r));
                all.countDown();
                try {
                    all.await(); // every one alive while the others choose
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (residue < 0) {
                residue = t.threadId() % lanes;
            }
            if (t.threadId() % lanes == residue) {
                threads.add(t);
            }
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(4, got.size());
        assertEquals(4, got.stream().distinct().count(),
                () -> "threads " + residue(threads, lanes) + " got lanes " + got);
        assertClean();
    }

    private static String residue(List<Thread> threads, int lanes) {
        return threads.stream().map(t -> t.threadId() + " % " + lanes).toList().toString();
    }

    @Test
    void lanesThatAreNoNumberFailTheProbesNamingTheKeyNotTheDriver() {
        driver(RegionDriver.Settings.of(config("zz", "sticky")));
        bring(TestBus.qemu("emul.0", 1));
        idle();
        NvdimmException e = dev("region0").probeError().orElseThrow();
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region0: lanes 'zz': not a whole number (configuration nvdimm.region, lanes) (EINVAL)",
                e.getMessage());
        driver.modified(config(4, "sticky"));
        assertEquals(4, driver.enable("region0").lanes().count(), "a corrected value applies at the next enable");
    }

    @Test
    void anUnknownLanePolicyIsRefusedAtRegionCreation() {
        driver(new RegionDriver.Settings(8, "fifo"));
        bring(TestBus.qemu("emul.0", 1));
        idle();
        NvdimmException e = dev("region0").probeError().orElseThrow();
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region0: lane policy 'fifo': must be sticky, hash or round-robin (configuration nvdimm.region)"
                + " (EINVAL)",
                e.getMessage());
    }

    @Test
    void newSettingsApplyToRegionsBoundAfterwards() {
        driver(new RegionDriver.Settings(0, "hash"));
        bring(TestBus.qemu("emul.0", 1));
        idle();
        assertEquals(DeviceState.DISABLED, dev("region0").state());
        driver.modified(config(2, "round-robin"));
        Region r = driver.enable("region0");
        assertEquals(2, r.lanes().count());
        assertEquals(LanePolicy.ROUND_ROBIN, r.lanes().policy());
        assertEquals(List.of(0, 1, 0), List.of(lane(r), lane(r), lane(r)));
        driver.modified(config(4, "hash"));
        assertEquals(2, region("region0").lanes().count(), "a bound region keeps its lanes");
        driver.disable("region0");
        assertEquals(4, driver.enable("region0").lanes().count());
        assertClean();
    }

    private static int lane(Region r) {
        int lane = r.acquireLane();
        r.releaseLane(lane);
        return lane;
    }

    static Map<String, Object> config(Object lanes, String policy) {
        return Map.of("lanes", lanes, "lane.policy", policy);
    }

    @Test
    void theDsConstructorTakesItsSettingsFromTheConfiguration() {
        driver = new RegionDriver(lockdep, core, config(3, "round-robin"));
        core.addDriver(driver);
        bring(TestBus.qemu("emul.0", 1));
        idle();
        assertEquals(3, region("region0").lanes().count());
        assertEquals(LanePolicy.ROUND_ROBIN, region("region0").lanes().policy());
        assertEquals("nd_region", driver.name());
        assertFalse(driver.match(dev("nmem0")));
        assertTrue(driver.match(dev("region0")));
        assertEquals("RegionDriver[1 bound]", driver.toString());
    }

    // ------------------------------------------------------------------ namespaces

    @Test
    void namespacesAreEnumeratedAfterBadblocksAndBeforeTheRegionIsPublished() {
        driver();
        TestNamespaces ns = new TestNamespaces(core, 2);
        driver.bindNamespaceProvider(ns);
        TestNamespaceDriver nsDriver = new TestNamespaceDriver();
        core.addDriver(nsDriver);
        TestBus tb = TestBus.qemu("emul.0", 1);
        tb.commands.found(new nvdimm.bus.spi.ErrorRecord(tb.region(0).address() + 1024, 8));
        nsDriver.expected = name -> List.of(new nvdimm.region.Badblocks.Range(2, 1));
        List<String> seenAtPublication = new CopyOnWriteArrayList<>();
        publisher.onPublish = p -> {
            if (p.service() instanceof Region r) {
                seenAtPublication.add(r.name() + " " + r.badblocks().ranges() + " " + r.namespaces().size());
            }
        };
        bring(tb);
        idle();
        Region r = region("region0");
        assertEquals(List.of("namespace0.0", "namespace0.1"), r.namespaces().stream().map(Device::name).toList());
        assertEquals(List.of("region0"), ns.enumerated);
        assertEquals(List.of(), nsDriver.violations);
        assertEquals(2, nsDriver.probed.size());
        assertEquals(List.of("region0 [2 1] 2"), seenAtPublication, "badblocks and both namespaces at publication");
        assertClean();
    }

    @Test
    void availableSizeIsWhatTheNamespacesLeave() {
        driver();
        TestNamespaces ns = new TestNamespaces(core, 0);
        driver.bindNamespaceProvider(ns);
        bring(TestBus.qemu("emul.0", 1));
        idle();
        Region r = region("region0");
        ns.allocations.put("region0", List.of(new Extent(0, 4096), new Extent(8192, 4096), new Extent(2048, 4096),
                new Extent(D - 100, 1000), new Extent(2 * D, 4096)));
        // in use: [0, 6144) + [8192, 12288) + [D - 100, D)
        assertEquals(D - 6144 - 4096 - 100, r.availableSize());
        assertEquals(D - 100 - 12288, r.maxAvailableExtent());
        ns.allocations.put("region0", List.of(new Extent(10000, 4096), new Extent(8192, 4096)));
        // in use: [8192, 14096)
        assertEquals(D - 5904, r.availableSize());
        assertEquals(D - 14096, r.maxAvailableExtent());
        ns.allocations.put("region0", List.of(new Extent(4096, D - 8192)));
        assertEquals(8192, r.availableSize());
        assertEquals(4096, r.maxAvailableExtent());
        ns.allocations.put("region0", List.of(new Extent(0, D)));
        assertEquals(0, r.availableSize());
        assertEquals(0, r.maxAvailableExtent());
        ns.allocations.put("region0", List.of(new Extent(0, D - 4096), new Extent(D - 4096, 4096)));
        assertEquals(0, r.maxAvailableExtent(), "adjacent extents leave no gap");
    }

    @Test
    void aProviderArrivingLaterEnumeratesTheEnabledRegionsOnceAndLeavingRemovesTheirNamespaces() {
        driver();
        TestNamespaceDriver nsDriver = new TestNamespaceDriver();
        core.addDriver(nsDriver);
        bring(TestBus.qemu("emul.0", 2));
        idle();
        assertEquals(List.of(), region("region0").namespaces());
        TestNamespaces first = new TestNamespaces(core, 2);
        driver.bindNamespaceProvider(first);
        idle();
        assertEquals(List.of("region0", "region1"), first.enumerated);
        assertEquals(2, region("region1").namespaces().size());
        driver.bindNamespaceProvider(first); // a second look changes nothing
        assertEquals(2, first.enumerated.size());

        TestNamespaces second = new TestNamespaces(core, 1);
        driver.bindNamespaceProvider(second); // greedy: the new one is bound before the old one leaves
        assertEquals(List.of(), second.enumerated, "regions enumerated by the first are left alone");
        nsDriver.removed.clear();
        driver.unbindNamespaceProvider(first);
        idle();
        assertEquals(List.of("namespace0.1", "namespace0.0", "namespace1.1", "namespace1.0"), nsDriver.removed,
                "the first one's namespaces go, last registered first");
        assertEquals(List.of("region0", "region1"), second.enumerated);
        assertEquals(List.of("namespace0.0"), region("region0").namespaces().stream().map(Device::name).toList());
        driver.unbindNamespaceProvider(second);
        assertEquals(List.of(), region("region0").namespaces());
        assertEquals(List.of(), region("region1").namespaces());
        assertEquals(List.of(), nsDriver.violations);
        assertClean();
    }

    @Test
    void aFailingNamespaceProviderLeavesTheRegionEnabled() {
        driver();
        TestNamespaces ns = new TestNamespaces(core, 1);
        ns.hook = r -> {
            throw new NvdimmException(Errno.EIO, r.name() + ": label area unreadable");
        };
        driver.bindNamespaceProvider(ns);
        bring(TestBus.qemu("emul.0", 1));
        idle();
        assertTrue(region("region0").isActive());
        assertEquals(1, publisher.services(Region.class).size());
        assertEquals(List.of("region0"), ns.enumerated);
    }

    // ------------------------------------------------------------------ enable and disable

    @Test
    void disableTakesTheNamespacesDownLastFirstThenTheRegion() {
        driver();
        driver.bindNamespaceProvider(new TestNamespaces(core, 3));
        TestNamespaceDriver nsDriver = new TestNamespaceDriver();
        core.addDriver(nsDriver);
        bring(TestBus.qemu("emul.0", 1));
        idle();
        Region r = region("region0");
        publisher.timeline.clear();
        driver.disable("region0");
        assertEquals(List.of("namespace0.2", "namespace0.1", "namespace0.0"), nsDriver.removed);
        List<String> t = publisher.timeline();
        assertTrue(t.indexOf("UNBIND namespace0.0") < t.indexOf("unpublish Region region0"), t::toString);
        assertTrue(t.indexOf("unpublish Region region0") < t.indexOf("UNBIND region0"), t::toString);
        assertEquals(DeviceState.DISABLED, dev("region0").state());
        assertEquals(List.of(), dev("region0").children(), "the namespaces went with the region's binding");
        assertFalse(r.isActive());
        assertEquals(List.of(), driver.list());
        assertEquals(List.of(), publisher.services(Region.class));
        assertEquals(D, r.size(), "the description stays readable");
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, r::flush).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, r::acquireLane).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, r::startScrub).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class,
                () -> r.waitScrub(java.time.Duration.ofSeconds(1))).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, r::injectedErrors).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> r.clearErrors(0, 512)).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> r.injectError(0, 512)).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> r.uninjectError(0, 512)).errno());
        CompletionException async = assertThrows(CompletionException.class, () -> r.flushAsync().toCompletableFuture().join());
        assertEquals(Errno.ENXIO, ((NvdimmException) async.getCause()).errno());
        assertEquals(List.of(), r.badblocks().ranges(), "badblocks stay readable");

        driver.disable("region0"); // already disabled: nothing happens
        idle();
        assertEquals(DeviceState.DISABLED, dev("region0").state(), "a disabled region is not probed again");

        Region again = driver.enable("region0");
        idle();
        assertNotSame(r, again);
        assertSame(again, driver.enable("region0"), "enabling an enabled region returns it");
        assertEquals(3, again.namespaces().size());
        assertEquals(List.of(), nsDriver.violations);
        assertClean();
    }

    @Test
    void unknownNamesAreEnodev() {
        driver();
        bring(TestBus.qemu("emul.0", 1));
        idle();
        for (Runnable r : List.<Runnable>of(() -> driver.enable("region9"), () -> driver.disable("nmem0"),
                () -> driver.startScrub("ndbus9"), () -> driver.waitScrub("region0", java.time.Duration.ZERO))) {
            NvdimmException e = assertThrows(NvdimmException.class, r::run);
            assertEquals(Errno.ENODEV, e.errno(), e::getMessage);
        }
        assertEquals(Optional.empty(), driver.find("region7"));
    }

    @Test
    void aProviderLeavingClosesItsRegions() {
        driver();
        TestBus tb = TestBus.qemu("emul.0", 2);
        bring(tb);
        idle();
        Region r = region("region1");
        core.removeProvider(tb);
        assertFalse(r.isActive());
        assertEquals(List.of(), driver.list());
        assertEquals(List.of(), publisher.services(Region.class));
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, r::acquireLane).errno());
        assertClean();
    }

    // ------------------------------------------------------------------ flush and lanes through the region

    @Test
    void flushUsesTheGenericPathWithoutAHandler() {
        driver();
        RecordingMedium medium = new RecordingMedium("rec", D);
        TestBus.Builder b = TestBus.builder("emul.0").dimms(1);
        b.region(new RegionDescriptor(b.nextAddress(), D, List.of(new Mapping(0, 0, D, 0, 0)), 1, 0, 4096,
                PersistenceDomain.CPU_CACHE, medium, null));
        bring(b.build());
        idle();
        Region r = region("region0");
        assertFalse(r.deepFlushNeeded(), "CPU-cache domain, no flush handler");
        r.flush();
        r.flushAsync().toCompletableFuture().join();
        r.deepFlush();
        assertEquals(List.of(new MediumEvent.Drain(), new MediumEvent.Drain(), new MediumEvent.Drain()), medium.log());
        int lane = r.acquireLane();
        r.flush(); // a lane may be held across a flush
        r.releaseLane(lane);
        assertClean();
    }

    @Test
    void theProvidersFlushErrnoReachesTheCallerUnchanged() {
        driver();
        NvdimmException enomem = new NvdimmException(Errno.ENOMEM, "virtio-pmem: child flush bio allocation failed");
        bring(TestBus.builder("virtio").dimmless(1 << 16, PersistenceDomain.UNKNOWN,
                () -> CompletableFuture.failedFuture(enomem)).build());
        idle();
        Region r = region("region0");
        assertTrue(r.deepFlushNeeded());
        // each waiter gets its own exception with the provider's errno, the provider's as the cause
        NvdimmException sync = assertThrows(NvdimmException.class, r::flush);
        assertEquals(Errno.ENOMEM, sync.errno());
        assertSame(enomem, sync.getCause());
        assertSame(enomem, assertThrows(NvdimmException.class, r::deepFlush).getCause());
        NvdimmException async = (NvdimmException) assertThrows(CompletionException.class,
                () -> r.flushAsync().toCompletableFuture().join()).getCause();
        assertEquals(Errno.ENOMEM, async.errno());
        assertSame(enomem, async.getCause());
        assertClean();
    }

    @Test
    void withAHandlerEvenACpuCacheDomainNeedsADeepFlush() {
        driver();
        bring(TestBus.builder("virtio").dimmless(1 << 16, PersistenceDomain.CPU_CACHE,
                () -> CompletableFuture.completedFuture(null)).build());
        idle();
        assertTrue(region("region0").deepFlushNeeded());
        region("region0").deepFlush();
    }

    @Test
    void namespacesOfEveryTypeUnderTheRegionAreListed() {
        driver();
        bring(TestBus.qemu("emul.0", 1));
        idle();
        Region r = region("region0");
        Device io = core.register(r.device(), DeviceType.NAMESPACE_IO);
        Device pmem = core.register(r.device(), DeviceType.NAMESPACE_PMEM);
        core.register(r.device(), DeviceType.BTT);
        assertEquals(List.of(io, pmem), r.namespaces());
    }

    @Test
    void theRegionRegistersChildrenOnlyForTheBindingThatIsBoundAndOnlyAfterItsBadblocks() {
        driver();
        bring(TestBus.qemu("emul.0", 1));
        idle();
        Region r = region("region0");
        assertEquals("namespace0.0", r.register(DeviceType.NAMESPACE_IO).name());
        assertEquals("namespace0.5", r.register(DeviceType.NAMESPACE_PMEM, "namespace0.5").name());
        assertEquals("btt0.0", r.register(DeviceType.BTT).name());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> r.register(DeviceType.REGION)).errno());
        assertEquals(Errno.EEXIST,
                assertThrows(NvdimmException.class, () -> r.register(DeviceType.NAMESPACE_IO, "namespace0.5")).errno());
        driver.disable("region0");
        Region again = driver.enable("region0");
        NvdimmException stale = assertThrows(NvdimmException.class, () -> r.register(DeviceType.NAMESPACE_IO));
        assertEquals(Errno.ENXIO, stale.errno());
        assertEquals(List.of(), again.namespaces(), "nothing landed in the new binding");

        // a binding whose badblocks are not populated yet refuses
        RegionBinding unpopulated = new RegionBinding((RegionDevice) dev("region0"), List.of(), null,
                new MutexLanePool("region0", lockdep, 1, LanePolicy.HASH), lockdep, core, () -> null);
        NvdimmException early = assertThrows(NvdimmException.class, () -> unpopulated.register(DeviceType.NAMESPACE_IO));
        assertEquals(Errno.EAGAIN, early.errno());
        assertEquals(Errno.EAGAIN, assertThrows(NvdimmException.class, unpopulated::badblocks).errno());
        unpopulated.close();
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, unpopulated::badblocks).errno());
        assertEquals(List.of(), again.namespaces());
        assertClean();
    }

    @Test
    void aNamespaceProviderLeavingALockHeldIsReportedWhenControlReturnsToTheFramework() {
        driver();
        bring(TestBus.qemu("emul.0", 1));
        idle();
        nvdimm.lockdep.LockClass leaked = nvdimm.lockdep.LockClass.of("test.leaked");
        lockdep.register(leaked);
        nvdimm.lockdep.Mutex m = lockdep.newMutex(leaked);
        TestNamespaces careless = new TestNamespaces(core, 0);
        careless.hook = r -> m.lock();
        nvdimm.lockdep.LockdepException e = assertThrows(nvdimm.lockdep.LockdepException.class,
                () -> driver.bindNamespaceProvider(careless));
        assertEquals(nvdimm.lockdep.LockdepReport.Kind.LOCKS_HELD, e.report().kind());
        m.unlock();
        TestNamespaces next = new TestNamespaces(core, 0);
        next.hook = r -> m.lock();
        driver.bindNamespaceProvider(next); // greedy: bound, nothing to enumerate yet (all taken)
        e = assertThrows(nvdimm.lockdep.LockdepException.class, () -> driver.unbindNamespaceProvider(careless));
        assertEquals(nvdimm.lockdep.LockdepReport.Kind.LOCKS_HELD, e.report().kind());
        m.unlock();
    }
}
