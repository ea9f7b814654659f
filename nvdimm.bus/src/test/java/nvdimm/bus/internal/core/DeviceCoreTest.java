package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepReport;

import org.junit.jupiter.api.Test;

/** The device core with fake providers and drivers: names, tree, binding, probing, removal, publication. */
class DeviceCoreTest extends CoreTestBase {

    /** A region driver that creates one pmem namespace per region. */
    FakeDriver regionDriver() {
        FakeDriver d = driver("nd_region", DeviceType.REGION);
        d.onProbe = region -> core.register(region, DeviceType.NAMESPACE_PMEM);
        return d;
    }

    @Test
    void busesDimmsAndRegionsGetLinuxNamesAndParents() {
        NvdimmBus bus0 = bring(FakeProvider.of("emul.0", 2));
        NvdimmBus bus1 = bring(FakeProvider.of("emul.1", 2));
        idle();
        assertEquals("ndbus0", bus0.name());
        assertEquals("ndbus1", bus1.name());
        assertEquals("emul.1", bus1.provider());
        assertEquals(List.of("nmem0", "nmem1"), bus0.dimms().stream().map(Device::name).toList());
        assertEquals(List.of("nmem2", "nmem3"), bus1.dimms().stream().map(Device::name).toList());
        assertEquals(List.of("region0"), bus0.regions().stream().map(Device::name).toList());
        assertEquals(List.of("region1"), bus1.regions().stream().map(Device::name).toList());
        RegionDevice region1 = core.find("region1", RegionDevice.class).orElseThrow();
        assertEquals(1, region1.id());
        assertEquals(List.of(dev("nmem2"), dev("nmem3")), region1.dimms());
        assertSame(bus1, region1.bus());
        assertEquals(Optional.of(bus1), region1.parent());
        assertEquals(Optional.empty(), bus1.parent());
        assertSame(bus1, bus1.bus());
        assertEquals(DeviceType.DIMM, dev("nmem3").type());
        assertEquals(List.of(bus0, bus1), core.buses());
        assertEquals(List.of("ndbus0", "nmem0", "nmem1", "region0", "ndbus1", "nmem2", "nmem3", "region1"),
                core.devices().stream().map(Device::name).toList());
        assertEquals(Optional.empty(), core.find("nmem3", RegionDevice.class));
        assertEquals(Optional.empty(), core.find("nmem9"));
        assertClean();
    }

    @Test
    void freedIdsAreGivenOutAgainLowestFirst() {
        FakeProvider first = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(first);
        bring(FakeProvider.of("emul.1", 1));
        idle();
        core.removeProvider(first);
        assertEquals(Optional.empty(), core.find("ndbus0"));
        NvdimmBus again = bring(FakeProvider.of("emul.2", 2));
        idle();
        assertEquals("ndbus0", again.name());
        assertEquals(List.of("nmem0", "nmem2"), again.dimms().stream().map(Device::name).toList());
        assertEquals("region0", again.regions().get(0).name());
        assertEquals(List.of("ndbus0", "ndbus1"), core.buses().stream().map(Device::name).toList());
        assertClean();
    }

    @Test
    void twoProvidersWithOneProviderStringGetABusEachAsLinuxVirtioPmemDevicesDo() {
        bring(FakeProvider.of("virtio-pmem", 0));
        NvdimmBus second = bring(FakeProvider.of("virtio-pmem", 0));
        idle();
        assertEquals("ndbus1", second.name());
        assertEquals(List.of("virtio-pmem", "virtio-pmem"), core.buses().stream().map(NvdimmBus::provider).toList());
        assertEquals(List.of("ndbus0", "ndbus1"), core.buses().stream().map(Device::name).toList());
        assertClean();
    }

    @Test
    void oneProviderObjectBoundTwiceIsRefusedAndLeavesNothingBehind() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        NvdimmException e = assertThrows(NvdimmException.class, () -> core.addProvider(p));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("provider emul.0: already bound as ndbus0 (EEXIST)", e.getMessage());
        idle();
        assertEquals(List.of("ndbus0", "nmem0", "region0"), core.devices().stream().map(Device::name).toList());
        assertClean();
    }

    @Test
    void inconsistentDescriptionsAreRefusedBeforeAnythingIsRegistered() {
        FakeProvider dup = provider(FakeProvider.builder("dup").dimm(FakeProvider.dimm(1, 0))
                .dimm(FakeProvider.dimm(1, 0)).build());
        assertEquals("provider dup: two DIMMs with handle 0x1 (EINVAL)",
                assertThrows(NvdimmException.class, () -> core.addProvider(dup)).getMessage());
        FakeProvider stray = provider(FakeProvider.builder("stray").dimms(1, 0).region(0, 7).build());
        assertEquals("provider stray: region 0 maps unknown DIMM handle 0x7 (EINVAL)",
                assertThrows(NvdimmException.class, () -> core.addProvider(stray)).getMessage());
        assertEquals(List.of(), core.devices());
        assertEquals(List.of(), publisher.events);
        assertClean();
    }

    @Test
    void busesAndDimmsAreBoundByTheBuiltInDriversAndPublishedWithTheirProperties() {
        bring(FakeProvider.of("emul.0", 2));
        idle();
        Device bus = dev("ndbus0");
        assertEquals(DeviceState.ENABLED, bus.state());
        assertEquals(Optional.of("nd_bus"), bus.driverName());
        assertEquals(Optional.of("nvdimm"), dev("nmem1").driverName());
        assertTrue(dev("nmem1").isEnabled());
        RecordingPublisher.Published p = publisher.publications("nmem1").get(0);
        assertEquals(List.of(Device.class, Dimm.class), p.types());
        assertSame(dev("nmem1"), p.service());
        assertEquals(Map.of("nvdimm.dev", "nmem1", "nvdimm.bus", "ndbus0", "nvdimm.type", "nvdimm"), p.properties());
        assertEquals(List.of(Device.class, NvdimmBus.class), publisher.publications("ndbus0").get(0).types());
        // No region driver: registered, not bound, not published.
        assertEquals(DeviceState.DISABLED, dev("region0").state());
        assertEquals(Optional.empty(), dev("region0").probeError());
        assertFalse(publisher.published("region0"));
        assertEquals(List.of("ADD"), publisher.actions("region0"));
        assertEquals(List.of("ADD", "BIND"), publisher.actions("nmem0"));
        assertClean();
    }

    @Test
    void eventsCarryDevTypeBusAndDriver() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        RecordingPublisher.Posted bind = publisher.events.stream()
                .filter(e -> e.topic().equals(DeviceEvents.BIND) && e.dev().equals("nmem0")).findFirst().orElseThrow();
        assertEquals(Map.of("dev", "nmem0", "type", "nvdimm", "bus", "ndbus0", "driver", "nvdimm"), bind.properties());
        RecordingPublisher.Posted add = publisher.events.stream()
                .filter(e -> e.topic().equals(DeviceEvents.ADD) && e.dev().equals("region0")).findFirst().orElseThrow();
        assertEquals(Map.of("dev", "region0", "type", "nd_pmem", "bus", "ndbus0"), add.properties());
        core.notifyChange(dev("nmem0"));
        assertEquals(List.of("ADD", "BIND", "CHANGE"), publisher.actions("nmem0"));
        assertClean();
    }

    @Test
    void eventsQueuedUnderADeviceLockArePostedWhenItIsReleased() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        try (DeviceCore.Locked held = core.lock(dev("nmem0"))) {
            core.notifyChange(dev("nmem0"));
            assertEquals(List.of("ADD", "BIND"), publisher.actions("nmem0"));
            held.close();
            held.close(); // a second close does nothing
        }
        assertEquals(List.of("ADD", "BIND", "CHANGE"), publisher.actions("nmem0"));
        assertFalse(((DeviceImpl) dev("nmem0")).lock.isHeldByCurrentThread());
        assertClean();
    }

    @Test
    void aDriverArrivingAfterItsDevicesBindsThemAndCreatesChildren() {
        bring(FakeProvider.of("emul.0", 2));
        idle();
        FakeDriver regions = regionDriver();
        core.addDriver(regions);
        idle();
        assertEquals(Optional.of("nd_region"), dev("region0").driverName());
        assertEquals(List.of(dev("namespace0.0")), dev("region0").children());
        assertEquals(DeviceType.NAMESPACE_PMEM, dev("namespace0.0").type());
        assertEquals(Optional.of(dev("region0")), dev("namespace0.0").parent());
        assertSame(dev("ndbus0"), dev("namespace0.0").bus());
        assertTrue(publisher.published("region0"));
        assertEquals(List.of(Device.class, RegionDevice.class), publisher.publications("region0").get(0).types());
        assertTrue(regions.probeThreads.get(0).startsWith("nvdimm-probe-"), regions.probeThreads.toString());
        assertClean();
    }

    @Test
    void aDriverPresentBeforeTheDevicesBindsThemAsTheyAppear() {
        FakeDriver regions = regionDriver();
        core.addDriver(regions);
        FakeDriver namespaces = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        core.addDriver(namespaces);
        core.addDriver(namespaces); // a second add is a no-op
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(1, regions.probes("region0"));
        assertEquals(1, namespaces.probes("namespace0.0"));
        assertTrue(dev("namespace0.0").isEnabled());
        assertTrue(publisher.published("namespace0.0"));
        assertClean();
    }

    @Test
    void aFailedProbeLeavesTheDeviceRegisteredButDisabledWithItsErrnoAndWithoutChildren() {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            core.register(region, DeviceType.NAMESPACE_IO);
            throw new NvdimmException(Errno.ENOSPC, region.name() + ": no room for the lanes");
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device region = dev("region0");
        assertEquals(DeviceState.DISABLED, region.state());
        assertEquals(Errno.ENOSPC, region.probeError().orElseThrow().errno());
        assertEquals(List.of(), region.children());
        assertEquals(Optional.empty(), core.find("namespace0.0"));
        assertEquals(List.of("ADD", "REMOVE"), publisher.actions("namespace0.0"));
        assertFalse(publisher.published("region0"));
        assertEquals(List.of("ADD"), publisher.actions("region0"));
        // enable() runs the probe again and throws its error unchanged
        NvdimmException again = assertThrows(NvdimmException.class, () -> core.enable(region));
        assertEquals(Errno.ENOSPC, again.errno());
        assertEquals("region0: no room for the lanes (ENOSPC)", again.getMessage());
        assertEquals(2, regions.probes("region0"));
        assertClean();
    }

    @Test
    void aProbeThatThrowsSomethingElseIsKeptAsEioAndRethrownAsItWas() {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            throw new IllegalStateException("driver bug");
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        NvdimmException kept = dev("region0").probeError().orElseThrow();
        assertEquals(Errno.EIO, kept.errno());
        assertInstanceOf(IllegalStateException.class, kept.getCause());
        assertEquals("driver bug", assertThrows(IllegalStateException.class, () -> core.enable(dev("region0")))
                .getMessage());
        assertClean();
    }

    @Test
    void aDriverThatRejectsTheDeviceLetsTheNextOneTry() {
        FakeDriver picky = driver("picky", DeviceType.REGION);
        picky.onProbe = region -> {
            throw new NvdimmException(Errno.ENXIO, region.name() + ": not mine");
        };
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        core.addDriver(picky);
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(Optional.of("nd_region"), dev("region0").driverName());
        assertEquals(Optional.empty(), dev("region0").probeError());
        core.removeDriver(regions);
        assertEquals(DeviceState.DISABLED, dev("region0").state());
        idle();
        NvdimmException e = assertThrows(NvdimmException.class, () -> core.enable(dev("region0")));
        assertEquals(Errno.ENXIO, e.errno());
        assertEquals(Errno.ENXIO, dev("region0").probeError().orElseThrow().errno());
        assertClean();
    }

    @Test
    void enablingWithoutAMatchingDriverIsEnodev() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        NvdimmException e = assertThrows(NvdimmException.class, () -> core.enable(dev("region0")));
        assertEquals("region0: no driver takes a nd_pmem (ENODEV)", e.getMessage());
        core.enable(dev("nmem0")); // bound already: nothing to do
        assertEquals(1, publisher.count("publish nmem0"));
        assertClean();
    }

    @Test
    void disableUnpublishesRemovesChildrenThenUnbindsAndStaysDisabledUntilEnabled() {
        FakeDriver regions = regionDriver();
        FakeDriver namespaces = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        core.addDriver(regions);
        core.addDriver(namespaces);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device region = dev("region0");
        core.disable(region);
        assertEquals(DeviceState.DISABLED, region.state());
        assertEquals(Optional.empty(), core.find("namespace0.0"));
        assertEquals(1, regions.removes("region0"));
        assertEquals(1, namespaces.removes("namespace0.0"));
        assertBefore("unpublish region0", "unpublish namespace0.0");
        assertBefore("REMOVE namespace0.0", "UNBIND region0");
        assertFalse(publisher.published("region0"));
        // A driver arriving now leaves it alone
        FakeDriver other = driver("other", DeviceType.REGION);
        core.addDriver(other);
        idle();
        assertEquals(0, other.probes("region0"));
        core.disable(region); // disabled already: nothing to do
        assertEquals(1, regions.removes("region0"));
        core.enable(region);
        assertEquals(Optional.of("nd_region"), region.driverName());
        assertTrue(publisher.published("region0"));
        idle();
        assertTrue(dev("namespace0.0").isEnabled());
        assertEquals(List.of("ADD", "BIND", "UNBIND", "BIND"), publisher.actions("region0"));
        assertClean();
    }

    @Test
    void aBusCannotBeDisabledAndCoreOwnedDevicesCannotBeUnregistered() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(Errno.EOPNOTSUPP, assertThrows(NvdimmException.class, () -> core.disable(dev("ndbus0"))).errno());
        assertEquals("ndbus0: a bus goes away with its provider (EOPNOTSUPP)",
                assertThrows(NvdimmException.class, () -> core.unregister(dev("ndbus0"))).getMessage());
        assertEquals("nmem0: DIMMs and regions go away with their bus (EOPNOTSUPP)",
                assertThrows(NvdimmException.class, () -> core.unregisterAsync(dev("nmem0"))).getMessage());
        assertClean();
    }

    @Test
    void childrenGetTheLowestFreeNameOrAChosenOne() {
        core.addDriver(driver("nd_region", DeviceType.REGION));
        core.addDriver(driver("nd_pmem", DeviceType.NAMESPACE_PMEM));
        bring(FakeProvider.of("emul.0", 1));
        bring(FakeProvider.of("emul.1", 1));
        idle();
        Device region1 = dev("region1");
        assertEquals("namespace1.0", core.register(region1, DeviceType.NAMESPACE_IO).name());
        assertEquals("namespace1.5", core.register(region1, DeviceType.NAMESPACE_PMEM, "namespace1.5").name());
        assertEquals("namespace1.1", core.register(region1, DeviceType.NAMESPACE_PMEM).name());
        idle();
        Device btt = core.register(dev("namespace1.5"), DeviceType.BTT);
        assertEquals("btt1.0", btt.name());
        assertEquals(Optional.of(dev("namespace1.5")), btt.parent());
        assertEquals("btt1.1", core.register(region1, DeviceType.BTT).name());
        assertEquals(Errno.EEXIST, assertThrows(NvdimmException.class,
                () -> core.register(region1, DeviceType.NAMESPACE_IO, "namespace1.0")).errno());
        for (String bad : List.of("namespace0.2", "namespace1.", "namespace1.01", "namespace1.-1", "ns1.2", "btt1.9")) {
            NvdimmException e = assertThrows(NvdimmException.class,
                    () -> core.register(region1, DeviceType.NAMESPACE_IO, bad), bad);
            assertEquals(Errno.EINVAL, e.errno(), bad);
        }
        assertEquals("region1: nd_pmem devices are made by the core from provider descriptions, not by drivers (EINVAL)",
                assertThrows(NvdimmException.class, () -> core.register(region1, DeviceType.REGION)).getMessage());
        assertEquals("ndbus1: a nvdimm_bus cannot have a nd_namespace_io child (EINVAL)",
                assertThrows(NvdimmException.class, () -> core.register(dev("ndbus1"), DeviceType.NAMESPACE_IO))
                        .getMessage());
        assertEquals("btt1.0: a nd_btt cannot have a nd_btt child (EINVAL)", assertThrows(NvdimmException.class,
                () -> core.register(btt, DeviceType.BTT)).getMessage());
        assertClean();
    }

    @Test
    void childrenBelongToABoundParent() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        NvdimmException e = assertThrows(NvdimmException.class, () -> core.register(dev("region0"),
                DeviceType.NAMESPACE_IO));
        assertEquals("region0: not bound to a driver; children belong to a bound device (ENXIO)", e.getMessage());
        assertClean();
    }

    @Test
    void devicesOfAnotherCoreAreRefused() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        try (CoreImpl other = new CoreImpl(lockdep, publisher, CoreConfig.DEFAULT);
                FakeProvider p = FakeProvider.of("emul.9", 1)) {
            Device foreign = other.addProvider(p);
            other.waitProbeIdle();
            assertEquals("ndbus0: not a device of this core (EINVAL)",
                    assertThrows(NvdimmException.class, () -> core.enable(foreign)).getMessage());
        }
        assertClean();
    }

    @Test
    void unregisterTakesDownChildrenFirstThenTheDriverThenTheDevice() {
        FakeDriver regions = regionDriver();
        FakeDriver namespaces = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        namespaces.onProbe = ns -> core.register(ns, DeviceType.BTT);
        FakeDriver btts = driver("nd_btt", DeviceType.BTT);
        core.addDriver(regions);
        core.addDriver(namespaces);
        core.addDriver(btts);
        FakeProvider p = provider(FakeProvider.of("emul.0", 2));
        core.addProvider(p);
        idle();
        assertTrue(dev("btt0.0").isEnabled());
        Device ns = dev("namespace0.0");
        core.unregister(ns);
        assertEquals(DeviceState.DEAD, ns.state());
        assertEquals(Optional.empty(), core.find("btt0.0"));
        assertEquals(List.of(), dev("region0").children());
        assertBefore("unpublish namespace0.0", "unpublish btt0.0");
        assertBefore("unpublish btt0.0", "UNBIND btt0.0");
        assertBefore("REMOVE btt0.0", "UNBIND namespace0.0");
        assertBefore("UNBIND namespace0.0", "REMOVE namespace0.0");
        core.unregister(ns); // gone already: returns at once
        assertEquals(1, namespaces.removes("namespace0.0"));

        core.removeProvider(p);
        assertEquals(List.of(), core.devices());
        assertEquals(List.of(), core.buses());
        assertBefore("unpublish ndbus0", "unpublish region0");
        assertBefore("unpublish region0", "UNBIND region0");
        assertBefore("REMOVE nmem1", "UNBIND ndbus0");
        assertBefore("REMOVE region0", "UNBIND ndbus0");
        assertBefore("UNBIND ndbus0", "REMOVE ndbus0");
        for (String d : List.of("ndbus0", "nmem0", "nmem1", "region0", "namespace0.0", "btt0.0")) {
            assertEquals(1, publisher.count("REMOVE " + d), d);
            assertFalse(publisher.published(d), d);
        }
        core.removeProvider(p); // unknown now: nothing happens
        assertClean();
    }

    @Test
    void asyncUnregisterFromUnderTheDeviceLockReturnsAtOnceAndCompletesLater() throws Exception {
        core.addDriver(regionDriver());
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device ns = dev("namespace0.0");
        java.util.concurrent.CompletionStage<Void> stage;
        try (DeviceCore.Locked held = core.lock(ns)) {
            assertSame(ns, held.device());
            stage = core.unregisterAsync(ns);
            assertSame(DeviceState.DEAD, ns.state());
            assertNotSame(stage, core.unregisterAsync(ns)); // a loser: returns at once with the same completion
        }
        stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), core.find("namespace0.0"));
        // the teardown posted REMOVE before it completed the removal (EventOutboxTest shows the race)
        assertEquals(1, publisher.count("REMOVE namespace0.0"));
        assertClean();
    }

    @Test
    void waitProbeIdleWaitsForSlowProbesIncludingTheirPublication() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        assertFalse(core.waitProbeIdle(Duration.ofMillis(100)));
        assertTrue(core.probesInFlight() > 0);
        release.countDown();
        core.waitProbeIdle();
        assertEquals(0, core.probesInFlight());
        assertTrue(publisher.published("region0"));
        assertClean();
    }

    @Test
    void driverServicesArePublishedWithTheDeviceAndWithdrawnFirst() {
        Runnable service = () -> { };
        FakeDriver regions = regionDriver();
        regions.services = d -> Map.of(Runnable.class, service);
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        List<RecordingPublisher.Published> region = publisher.publications("region0");
        assertEquals(2, region.size());
        assertEquals(List.of(Runnable.class), region.get(1).types());
        assertSame(service, region.get(1).service());
        assertEquals("region0", region.get(1).properties().get(Device.SERVICE_DEV));
        core.disable(dev("region0"));
        assertFalse(publisher.published("region0"));
        assertEquals(2, publisher.count("unpublish region0"));
        assertBefore("unpublish region0", "REMOVE namespace0.0");
        assertClean();
    }

    @Test
    void aLeavingDriverUnbindsItsDevicesAndAnotherMatchingDriverTakesThemOver() {
        FakeDriver old = regionDriver();
        core.addDriver(old);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        FakeDriver replacement = regionDriver();
        core.addDriver(replacement);
        idle();
        assertEquals(0, replacement.probes("region0")); // bound to the old one
        core.removeDriver(old);
        assertEquals(1, old.removes("region0"));
        idle();
        assertEquals(1, replacement.probes("region0"));
        assertSame(replacement, ((DeviceImpl) dev("region0")).driver);
        assertTrue(publisher.published("region0"));
        assertTrue(dev("namespace0.0").isEnabled() || dev("namespace0.0").state() == DeviceState.DISABLED);
        core.removeDriver(old); // gone already
        assertClean();
    }

    @Test
    void driverDataIsSetUnderTheLockAndClearedOnUnbind() {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> region.setDriverData("state of " + region.name());
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(Optional.of("state of region0"), dev("region0").driverData(String.class));
        assertEquals(Optional.empty(), dev("region0").driverData(Integer.class));
        core.disable(dev("region0"));
        assertEquals(Optional.empty(), dev("region0").driverData(String.class));
        assertClean();
        LockdepException e = assertThrows(LockdepException.class, () -> dev("region0").setDriverData("no lock"));
        assertEquals(LockdepReport.Kind.NOT_HELD, e.report().kind());
    }

    @Test
    void publishingUnderADeviceLockIsRefusedAndReported() {
        core.addDriver(regionDriver());
        bring(FakeProvider.of("emul.0", 1));
        idle();
        DeviceImpl region = (DeviceImpl) dev("region0");
        core.unpublish(region);
        try (DeviceCore.Locked held = core.lock(region)) {
            core.publish(region); // a core that published from under the lock would be caught here
        }
        assertFalse(publisher.published("region0"));
        assertEquals(List.of(LockdepReport.Kind.LOCKS_HELD), kinds());
        assertEquals(List.of(), publisher.violations);
    }

    @Test
    void entryPointsThatWaitOrCallOutRefuseADeviceLockOrAnAtomicLock() {
        FakeDriver regions = regionDriver();
        core.addDriver(regions);
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        FakeProvider other = provider(FakeProvider.of("emul.1", 1));
        idle();
        Device region = dev("region0");
        Device ns = dev("namespace0.0");
        Dimm nmem0 = core.find("nmem0", Dimm.class).orElseThrow();
        Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
        calls.put("enable", () -> core.enable(region));
        calls.put("disable", () -> core.disable(region));
        calls.put("unregister", () -> core.unregister(ns));
        calls.put("waitProbeIdle", core::waitProbeIdle);
        calls.put("command", nmem0::health);
        calls.put("removeDriver", () -> core.removeDriver(regions));
        calls.put("removeProvider", () -> core.removeProvider(p));
        calls.put("addProvider", () -> core.addProvider(other));
        nvdimm.lockdep.LockClass spin = nvdimm.lockdep.LockClass.of("test.spinlock",
                nvdimm.lockdep.LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        nvdimm.lockdep.Mutex atomic = lockdep.newMutex(spin);
        for (Map.Entry<String, Runnable> call : calls.entrySet()) {
            try (DeviceCore.Locked held = core.lock(nmem0)) {
                NvdimmException refused = assertThrows(NvdimmException.class, call.getValue()::run, call.getKey());
                assertEquals(Errno.EDEADLK, refused.errno(), call.getKey());
                LockdepException e = assertInstanceOf(LockdepException.class, refused.getCause(), call.getKey());
                assertEquals(LockdepReport.Kind.LOCKS_HELD, e.report().kind(), call.getKey());
            }
            atomic.lock();
            try {
                LockdepException e = assertThrows(LockdepException.class, call.getValue()::run, call.getKey());
                assertEquals(LockdepReport.Kind.SLEEP_IN_ATOMIC, e.report().kind(), call.getKey());
            } finally {
                atomic.unlock();
            }
        }
        // Nothing happened: still bound, registered, listed
        assertTrue(region.isEnabled());
        assertEquals(DeviceState.DISABLED, ns.state());
        assertEquals(List.of("ndbus0"), core.buses().stream().map(Device::name).toList());
        assertEquals(List.of(), publisher.violations);
    }

    @Test
    void aBttMaySitUnderALabelLessNamespaceToo() {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> core.register(region, DeviceType.NAMESPACE_IO);
        core.addDriver(regions);
        core.addDriver(driver("nd_pmem", DeviceType.NAMESPACE_IO));
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device btt = core.register(dev("namespace0.0"), DeviceType.BTT);
        assertEquals("btt0.0", btt.name());
        assertEquals("btt0.0", btt.toString());
        idle();
        assertEquals(List.of(Device.class), publisher.publications("namespace0.0").get(0).types());
        assertClean();
    }

    @Test
    void aDriverRejectingWithEnodevAlsoLetsTheNextOneTry() {
        FakeDriver picky = driver("picky", DeviceType.REGION);
        picky.onProbe = region -> {
            throw new NvdimmException(Errno.ENODEV, region.name() + ": no");
        };
        core.addDriver(picky);
        core.addDriver(driver("nd_region", DeviceType.REGION));
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(Optional.of("nd_region"), dev("region0").driverName());
        assertClean();
    }

    @Test
    void enableAfterDisableLetsDriversBindAutomaticallyAgain() {
        FakeDriver first = regionDriver();
        core.addDriver(first);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        core.disable(dev("region0"));
        core.enable(dev("region0"));
        core.removeDriver(first);
        FakeDriver second = regionDriver();
        core.addDriver(second);
        idle();
        assertEquals(1, second.probes("region0"));
        assertEquals(Optional.of("nd_region"), dev("region0").driverName());
        assertClean();
    }

    @Test
    void aLeavingDriverDoesNotReprobeDevicesItWasNotBoundTo() {
        FakeDriver failing = driver("failing", DeviceType.REGION);
        failing.onProbe = region -> {
            throw new NvdimmException(Errno.EINVAL, region.name() + ": bad");
        };
        core.addDriver(failing);
        FakeDriver dimmWatcher = driver("watcher", DeviceType.NAMESPACE_IO);
        core.addDriver(dimmWatcher);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(1, failing.probes("region0"));
        core.removeDriver(dimmWatcher);
        idle();
        assertEquals(1, failing.probes("region0"));
    }

    @Test
    void aDriverWhoseMatchThrowsIsSkipped() {
        core.addDriver(new nvdimm.bus.Driver() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public boolean match(Device device) {
                throw new IllegalStateException("broken match");
            }

            @Override
            public void probe(Device device) {
                throw new AssertionError("never");
            }

            @Override
            public void remove(Device device) {
                throw new AssertionError("never");
            }
        });
        core.addDriver(regionDriver());
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertEquals(Optional.of("nd_region"), dev("region0").driverName());
        assertClean();
    }

    @Test
    void aDriverServiceThatCannotBePublishedLeavesNothingPublished() {
        FakeDriver regions = regionDriver();
        regions.services = d -> {
            throw new IllegalStateException("no service today");
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertTrue(dev("region0").isEnabled());
        assertFalse(publisher.published("region0"));
        assertEquals(1, publisher.count("publish region0"));
        assertEquals(1, publisher.count("unpublish region0"));
        assertClean();
    }

    @Test
    void anUnpublishWhilePublishingMakesThePublisherWithdrawWhatItRegistered() {
        core.addDriver(regionDriver());
        publisher.onPublish = () -> {
            DeviceImpl region = (DeviceImpl) core.find("region0").orElse(null);
            // only inside region0's own publication: the hook runs for every device, and a probe thread
            // publishing another device would wait for region0's publisher (a real wait, which is not this case)
            if (region != null && region.publication.get() instanceof Publication.Publishing p
                    && p.owner() == Thread.currentThread()) {
                core.unpublish(region); // e.g. a teardown starting on another thread right now
                core.unpublish(region); // a second one finds it revoked already
            }
        };
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertTrue(dev("region0").isEnabled());
        assertFalse(publisher.published("region0"));
        assertEquals(1, publisher.count("unpublish region0"));
        assertEquals(Publication.Unpublished.INSTANCE, ((DeviceImpl) dev("region0")).publication.get());
        assertClean();
    }

    @Test
    void unpublishingUnderADeviceLockIsRefusedAndReported() {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        DeviceImpl nmem0 = (DeviceImpl) dev("nmem0");
        try (DeviceCore.Locked held = core.lock(nmem0)) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> core.unpublish(nmem0));
            assertEquals(Errno.EDEADLK, e.errno());
            assertInstanceOf(LockdepException.class, e.getCause());
        }
        assertEquals(List.of(LockdepReport.Kind.LOCKS_HELD), kinds());
        assertTrue(publisher.published("nmem0"), "refused before anything was withdrawn");
    }

    @Test
    void theBusDriverRegistersChildrenOnlyUnderTheBusLock() {
        BusImpl bus = (BusImpl) bring(FakeProvider.of("emul.0", 1));
        LockdepException e = assertThrows(LockdepException.class, () -> core.registerBusChildren(bus));
        assertEquals(LockdepReport.Kind.NOT_HELD, e.report().kind());
    }

    @Test
    void enablingADeadDeviceIsEnxio() {
        core.addDriver(regionDriver());
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Device region = dev("region0");
        Device nmem0 = dev("nmem0");
        core.removeProvider(p);
        assertEquals("region0: the device is being removed (ENXIO)",
                assertThrows(NvdimmException.class, () -> core.enable(region)).getMessage());
        assertEquals("nmem0: the device is being removed (ENXIO)",
                assertThrows(NvdimmException.class, () -> core.enable(nmem0)).getMessage());
        assertEquals("nmem0: the device is being removed (ENXIO)",
                assertThrows(NvdimmException.class, () -> core.disable(nmem0)).getMessage());
        assertClean();
    }

    @Test
    void aClosedCoreRefusesNewProvidersAndProbes() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Device nmem0 = dev("nmem0");
        core.close();
        core.close(); // once is enough
        assertEquals(List.of(), core.devices());
        FakeProvider late = provider(FakeProvider.of("emul.1", 1));
        assertEquals("the device core is shut down (ENXIO)",
                assertThrows(NvdimmException.class, () -> core.addProvider(late)).getMessage());
        assertEquals("nmem0: the device core is shut down (ENXIO)",
                assertThrows(NvdimmException.class, () -> core.enable(nmem0)).getMessage());
        core.addDriver(regionDriver()); // nothing to probe, and no probe thread to run it
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(1)));
        assertClean();
    }

    @Test
    void anInterruptedWaitForProbesIsEintrAndKeepsTheInterrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> CommandPathTest.await(release);
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        Thread.currentThread().interrupt();
        NvdimmException e = assertThrows(NvdimmException.class, core::waitProbeIdle);
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(Thread.interrupted());
        release.countDown();
        idle();
        assertClean();
    }

    @Test
    void probeThreadsAreNamedDaemons() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> seen.add(Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon());
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        assertTrue(seen.get(0).matches("nvdimm-probe-[01] true"), seen.toString());
    }

    @Test
    void idsAndDescriptorsAreTheOnesGivenOut() {
        bring(FakeProvider.of("emul.0", 2));
        FakeProvider p = provider(FakeProvider.of("emul.1", 2));
        NvdimmBus bus1 = core.addProvider(p);
        idle();
        assertEquals(1, bus1.id());
        assertEquals(3, core.find("nmem3", Dimm.class).orElseThrow().id());
        RegionDevice region1 = core.find("region1", RegionDevice.class).orElseThrow();
        assertSame(p.regions().get(0), region1.descriptor());
        assertEquals(p.regions(), bus1.regionDescriptors());
        assertClean();
    }

    @Test
    void withBothProbeThreadsBusyEventsStillLeaveAndAQueuedTeardownIsRunByWhoeverNeedsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            core.register(region, DeviceType.NAMESPACE_PMEM);
            core.register(region, DeviceType.NAMESPACE_PMEM);
        };
        FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        pmem.onProbe = ns -> CommandPathTest.await(release); // both probe threads stay here
        core.addDriver(regions);
        core.addDriver(pmem);
        bring(FakeProvider.of("emul.0", 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pmem.probeThreads.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(2, pmem.probeThreads.size());
        // registered from a thread holding no lock: its ADD leaves at once, not with some later probe
        Device io = core.register(dev("region0"), DeviceType.NAMESPACE_IO);
        assertEquals(List.of("ADD"), publisher.actions(io.name()));
        // a sync delete right after an async one runs its teardown if it has not started, else waits for it
        try (DeviceCore.Locked held = core.lock(io)) {
            core.unregisterAsync(io);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> core.unregister(io));
        assertEquals(Optional.empty(), core.find(io.name()));
        assertEquals(1, publisher.count("REMOVE " + io.name()));
        release.countDown();
        idle();
        assertClean();
    }

    @Test
    void aDriverRemoveFailureReachesTheSyncCallerWithItsErrnoAndTheDeviceStillGoes() {
        core.addDriver(regionDriver());
        FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        pmem.onRemove = ns -> {
            throw new NvdimmException(Errno.EBUSY, ns.name() + ": still claimed");
        };
        core.addDriver(pmem);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device ns = dev("namespace0.0");
        NvdimmException e = assertThrows(NvdimmException.class, () -> core.unregister(ns));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals(Optional.empty(), core.find("namespace0.0"));
        assertEquals(List.of("ADD", "BIND", "UNBIND", "REMOVE"), publisher.actions("namespace0.0"));
        assertClean();
    }

    @Test
    void anErrorInATeardownReachesTheSyncCaller() {
        core.addDriver(regionDriver());
        FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        pmem.onRemove = ns -> {
            throw new AssertionError("driver bug in remove");
        };
        core.addDriver(pmem);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device ns = dev("namespace0.0");
        assertEquals("driver bug in remove", assertThrows(AssertionError.class, () -> core.unregister(ns)).getMessage());
        assertEquals(DeviceState.DEAD, ns.state());
        pmem.onRemove = d -> { };
    }
}
