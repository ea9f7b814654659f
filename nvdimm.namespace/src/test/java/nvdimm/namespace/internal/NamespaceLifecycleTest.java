package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Claim;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.internal.labels.UnassembledSet;
import nvdimm.region.Region;

import org.junit.jupiter.api.Test;

/** Namespace lifecycles on the real device core, validator in THROW mode. */
class NamespaceLifecycleTest extends NamespaceTestBase {

    @Test
    void aLabelLessRegionHasOneIoNamespaceSpanningIt() {
        start(standardBus());
        NamespaceInfo io = info("namespace1.0");
        assertEquals(DeviceType.NAMESPACE_IO, dev("namespace1.0").type());
        assertEquals(32 * MIB, io.size());
        assertFalse(io.labeled());
        assertTrue(io.enabled());
        assertEquals(Optional.of("pmem1"), io.blockdev());
        assertEquals(OptionalInt.empty(), io.sectorSize());
        BlockDevice pmem1 = disks.disk("pmem1").orElseThrow();
        assertEquals(32 * MIB, pmem1.size());
        assertEquals(512, pmem1.sectorSize());
        Region r = region("region1");
        assertEquals(0, r.availableSize());
        assertEquals(List.of("namespace0.0", "namespace1.0"), names());
        assertClean();
    }

    @Test
    void aFreshLabeledRegionHasOnlyItsIdleSeed() {
        start(standardBus());
        NamespaceInfo seed = info("namespace0.0");
        assertTrue(seed.seed());
        assertFalse(seed.enabled());
        assertEquals(0, seed.size());
        assertEquals(Optional.empty(), seed.problem());
        assertEquals(DeviceState.DISABLED, dev("namespace0.0").state());
        assertEquals(64 * MIB, region("region0").availableSize());
        assertTrue(disks.disk("pmem0").isEmpty());
        assertClean();
    }

    @Test
    void createTakesTheLargestFreeExtentTheSeedBecomesTheNamespaceAndANewSeedAppears() {
        start(standardBus());
        NamespaceInfo a = namespaces.create(spec("region0", 16 * MIB));
        assertEquals("namespace0.0", a.dev());
        assertEquals(16 * MIB, a.size());
        assertEquals(Optional.of("pmem0"), a.blockdev());
        assertEquals(OptionalInt.of(512), a.sectorSize());
        assertTrue(a.uuid().isPresent());
        assertTrue(info("namespace0.1").seed());
        NamespaceInfo b = namespaces.create(spec("0", 0)); // default: the largest free extent
        assertEquals("namespace0.1", b.dev());
        assertEquals(48 * MIB, b.size());
        assertEquals(Optional.of("pmem0.1"), b.blockdev());
        assertTrue(info("namespace0.2").seed());
        Region r = region("region0");
        assertEquals(0, r.availableSize());
        Namespace na = namespaces.find("namespace0.0").orElseThrow();
        Namespace nb = namespaces.find("namespace0.1").orElseThrow();
        assertEquals(0, na.regionOffset());
        assertEquals(16 * MIB, nb.regionOffset());
        assertEquals(16 * MIB, disks.disk("pmem0").orElseThrow().size());
        assertEquals(48 * MIB, disks.disk("pmem0.1").orElseThrow().size());
        assertEquals(3, publisher.services(Namespace.class).size()); // with namespace1.0
        refused(Errno.ENOSPC, () -> namespaces.create(spec("region0", 4 * MIB)));
        assertClean();
    }

    @Test
    void createTakesTheLargestHoleAndRefusesNamingIt() {
        start(standardBus());
        namespaces.create(spec("region0", 8 * MIB));
        namespaces.create(spec("region0", 16 * MIB));
        namespaces.create(spec("region0", 8 * MIB));
        namespaces.destroy("namespace0.1", true); // a 16 MiB hole at 8 MiB, 32 MiB free at the end
        String e = refused(Errno.ENOSPC, () -> namespaces.create(spec("region0", 40 * MIB))).getMessage();
        assertTrue(e.contains("40 MiB requested, largest free extent 32 MiB"), e);
        NamespaceInfo big = namespaces.create(spec("region0", 0));
        assertEquals(32 * MIB, big.size());
        assertEquals(32 * MIB, namespaces.find(big.dev()).orElseThrow().regionOffset());
        NamespaceInfo hole = namespaces.create(spec("region0", 0));
        assertEquals(16 * MIB, hole.size());
        assertEquals(8 * MIB, namespaces.find(hole.dev()).orElseThrow().regionOffset());
        assertClean();
    }

    @Test
    void createWithoutARegionTriesEachInTurn() {
        start(standardBus());
        // region0 is labeled and free: the first candidate
        NamespaceInfo a = namespaces.create(spec(null, 0));
        assertEquals("region0", a.region());
        // region0 full, region1's io namespace enabled: nothing left
        refused(Errno.ENOSPC, () -> namespaces.create(spec(null, 0)));
        assertClean();
    }

    @Test
    void disableWithdrawsTheDiskAndIsNotSticky() {
        start(standardBus());
        namespaces.create(spec("region0", 16 * MIB));
        namespaces.disable("namespace0.0");
        assertFalse(info("namespace0.0").enabled());
        assertTrue(disks.disk("pmem0").isEmpty());
        assertTrue(namespaces.find("namespace0.0").isEmpty());
        assertEquals(48 * MIB, region("region0").availableSize()); // still allocated
        namespaces.disable("namespace0.0"); // a disabled one is left as it is
        namespaces.enable("namespace0.0");
        assertTrue(disks.disk("pmem0").isPresent());
        namespaces.enable("namespace0.0");
        assertEquals(List.of("+pmem0", "-pmem0", "+pmem0"), disks.timeline.stream().filter(t -> t.endsWith("pmem0")).toList());
        assertClean();
    }

    @Test
    void reconfigureKeepsPlaceUuidAndNameUnlessGiven() {
        start(standardBus());
        UUID uuid = UUID.randomUUID();
        namespaces.create(spec("region0", 16 * MIB, NamespaceMode.RAW, uuid, "data", null));
        namespaces.create(spec("region0", 16 * MIB));
        refused(Errno.EBUSY, () -> namespaces.reconfigure("namespace0.0", spec(null, 0), false));
        NamespaceInfo r = namespaces.reconfigure("namespace0.0", spec(null, 0, NamespaceMode.RAW, null, null, 4096), true);
        assertEquals(Optional.of(uuid), r.uuid());
        assertEquals(Optional.of("data"), r.name());
        assertEquals(16 * MIB, r.size());
        assertEquals(OptionalInt.of(4096), r.sectorSize());
        assertEquals(4096, disks.disk("pmem0").orElseThrow().sectorSize());
        assertEquals(0, namespaces.find("namespace0.0").orElseThrow().regionOffset());
        NamespaceInfo renamed = namespaces.reconfigure("namespace0.0", spec(null, 0, NamespaceMode.RAW, null, "logs", null),
                true);
        assertEquals(Optional.of("logs"), renamed.name());
        // growing in place runs into namespace0.1 at 16 MiB
        String e = refused(Errno.ENOSPC, () -> namespaces.reconfigure("namespace0.0", spec(null, 32 * MIB), true))
                .getMessage();
        assertTrue(e.contains("32 MiB requested in place, 16 MiB free from its start"), e);
        namespaces.reconfigure("namespace0.1", spec(null, 48 * MIB), true);
        assertEquals(48 * MIB, info("namespace0.1").size());
        assertEquals(0, region("region0").availableSize());
        assertClean();
    }

    @Test
    void destroyDeletesTheLabelsAndTheDeviceTheSeedRemains() {
        start(standardBus());
        NamespaceInfo a = namespaces.create(spec("region0", 16 * MIB));
        refused(Errno.EBUSY, () -> namespaces.destroy("namespace0.0", false));
        namespaces.destroy("namespace0.0", true);
        assertTrue(namespaces.info("namespace0.0").isEmpty());
        assertTrue(core.find("namespace0.0").isEmpty());
        assertTrue(info("namespace0.1").seed());
        assertEquals(64 * MIB, region("region0").availableSize());
        assertTrue(labels.labeled("region0").namespaces.isEmpty());
        assertTrue(disks.disk("pmem0").isEmpty());
        assertFalse(namespaces.list().stream().anyMatch(i -> i.uuid().equals(a.uuid())));
        namespaces.destroy("namespace0.1", false); // the seed: nothing to destroy
        assertTrue(info("namespace0.1").seed());
        // a disabled namespace goes without force
        namespaces.create(spec("region0", 8 * MIB));
        namespaces.disable("namespace0.1");
        namespaces.destroy("namespace0.1", false);
        assertEquals(List.of("namespace0.0", "namespace1.0"), names());
        assertTrue(info("namespace0.0").seed());
        assertClean();
    }

    /** As ndctl's {@code -f}: a claimed (sector) namespace is reconfigured or destroyed, its claimer going with it. */
    @Test
    void forceReconfiguresAndDestroysAClaimedNamespace() {
        start(standardBus());
        namespaces.create(spec("region0", 16 * MIB));
        Namespace ns = namespaces.find("namespace0.0").orElseThrow();
        ns.claim("btt0.0");
        namespaces.reconfigure("namespace0.0", spec(null, 0, NamespaceMode.RAW, null, "again", null), true);
        assertFalse(ns.isActive());
        assertEquals(Optional.of("again"), info("namespace0.0").name());
        assertEquals(Optional.of("pmem0"), info("namespace0.0").blockdev());
        namespaces.find("namespace0.0").orElseThrow().claim("btt0.0");
        namespaces.destroy("namespace0.0", true);
        assertTrue(namespaces.info("namespace0.0").isEmpty());
        assertClean();
    }

    @Test
    void aClaimWithdrawsTheRawDiskAndKeepsEveryoneElseOff() {
        start(standardBus());
        namespaces.create(spec("region0", 16 * MIB));
        Namespace ns = namespaces.find("namespace0.0").orElseThrow();
        Claim c = ns.claim("btt0.0");
        assertTrue(disks.disk("pmem0").isEmpty());
        assertEquals(Optional.of("btt0.0"), ns.claimedBy());
        assertEquals(NamespaceMode.SECTOR, ns.mode());
        assertEquals(Optional.of("pmem0s"), info("namespace0.0").blockdev());
        String busy = refused(Errno.EBUSY, () -> ns.claim("btt0.1")).getMessage();
        assertTrue(busy.contains("btt0.0"), busy);
        String d = refused(Errno.EBUSY, () -> namespaces.destroy("namespace0.0", false)).getMessage();
        assertTrue(d.contains("claimed by btt0.0") && d.contains("--force"), d);
        String r = refused(Errno.EBUSY, () -> namespaces.reconfigure("namespace0.0", spec(null, 0), false)).getMessage();
        assertTrue(r.contains("claimed by btt0.0") && r.contains("--force"), r);
        c.close();
        c.close(); // once
        assertTrue(disks.disk("pmem0").isPresent());
        assertEquals(Optional.empty(), ns.claimedBy());
        Claim again = ns.claim("btt0.1");
        again.close();
        assertClean();
    }

    @Test
    void disablingAClaimedNamespaceEndsItsOperations() {
        start(standardBus());
        namespaces.create(spec("region0", 16 * MIB));
        Namespace ns = namespaces.find("namespace0.0").orElseThrow();
        Claim c = ns.claim("btt0.0");
        namespaces.disable("namespace0.0");
        assertFalse(ns.isActive());
        c.close();
        assertTrue(disks.disk("pmem0").isEmpty());
        refused(Errno.ENXIO, () -> ns.claim("btt0.0"));
        assertClean();
    }

    @Test
    void aRegionDisabledUnderneathWithdrawsTheDisksBeforeTheyStopWorking() {
        start(standardBus());
        namespaces.create(spec("region0", 16 * MIB));
        regions.disable("region0");
        regions.disable("region1");
        assertTrue(disks.active.isEmpty());
        assertEquals(List.of(), publisher.services(Namespace.class));
        regions.enable("region0");
        regions.enable("region1");
        idle();
        assertTrue(disks.disk("pmem0").isPresent());
        assertTrue(disks.disk("pmem1").isPresent());
        assertClean(); // TestDisks records a disk withdrawn after it stopped working
    }

    /** A bus going away tears its devices down (they are dead then): their disks still go first. */
    @Test
    void aBusThatGoesAwayWithdrawsItsDisksBeforeTheyStopWorking() {
        TestBus bus = standardBus();
        start(bus);
        namespaces.create(spec("region0", 16 * MIB));
        core.removeProvider(bus);
        assertEquals(java.util.Map.of(), disks.active);
        assertEquals(List.of(), disks.violations);
        assertTrue(namespaces.list().isEmpty());
        buses.remove(bus);
        bus.close();
    }

    /** Negative control: without the withdrawal report the disk outlives its namespace's binding. */
    @Test
    void withoutTheWithdrawalReportADiskIsWithdrawnTooLate() {
        start(standardBus());
        publisher.onWithdraw = p -> { };
        regions.disable("region1");
        while (disks.disk("pmem1").isPresent()) { // the driver's remove hands it to another thread
            Thread.onSpinWait();
        }
        assertEquals(List.of("pmem1 withdrawn after it stopped working"), disks.violations);
    }

    @Test
    void sectorModeGoesThroughTheModeProvider() {
        start(standardBus());
        String e = refused(Errno.EOPNOTSUPP, () -> namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR,
                null, null, null))).getMessage();
        assertTrue(e.contains("nvdimm.btt"), e);
        FakeSectorMode btt = new FakeSectorMode();
        namespaces.addModeProvider(btt);
        refused(Errno.EINVAL, () -> namespaces.create(spec("region0", 8 * MIB, NamespaceMode.SECTOR, null, null, null)));
        refused(Errno.EINVAL, () -> namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, null, 1024)));
        NamespaceInfo s = namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, null, 520));
        assertEquals(NamespaceMode.SECTOR, s.mode());
        assertEquals(OptionalInt.of(520), s.sectorSize());
        assertEquals(ClaimClass.BTT2, labels.labeled("region0").namespaces.values().iterator().next().claimClass());
        assertEquals(List.of("format namespace0.0 520 " + s.uuid().orElseThrow()), btt.calls);
        // back to raw: the BTT's metadata is erased and the labels lose the claim class
        NamespaceInfo raw = namespaces.reconfigure("namespace0.0", spec(null, 0), true);
        assertEquals(NamespaceMode.RAW, raw.mode());
        assertEquals(ClaimClass.NONE, labels.labeled("region0").namespaces.values().iterator().next().claimClass());
        assertEquals("erase namespace0.0", btt.calls.get(1));
        // and a sector namespace destroyed loses its metadata before its labels
        namespaces.reconfigure("namespace0.0", spec(null, 0, NamespaceMode.SECTOR, null, null, null), true);
        namespaces.destroy("namespace0.0", true);
        assertEquals(List.of("format namespace0.0 4096 " + s.uuid().orElseThrow(), "erase namespace0.0"),
                btt.calls.subList(2, 4));
        assertTrue(labels.labeled("region0").namespaces.isEmpty());
        assertClean();
    }

    @Test
    void aNamespaceInSectorModeNeverShowsItsRawDiskEvenWithoutItsModeProvider() {
        start(standardBus());
        FakeSectorMode btt = new FakeSectorMode();
        namespaces.addModeProvider(btt);
        namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, null, null));
        assertTrue(disks.disk("pmem0").isEmpty(), "a raw write would corrupt the BTT");
        namespaces.removeModeProvider(btt); // the BTT bundle stopped: the labels still say BTT2
        namespaces.disable("namespace0.0");
        namespaces.enable("namespace0.0");
        assertTrue(disks.disk("pmem0").isEmpty());
        assertEquals(NamespaceMode.SECTOR, info("namespace0.0").mode());
        assertEquals(Optional.empty(), info("namespace0.0").blockdev());
        Claim c = namespaces.find("namespace0.0").orElseThrow().claim("btt0.0");
        c.close();
        assertTrue(disks.disk("pmem0").isEmpty(), "nor after a claim is released");
        assertClean();
    }

    @Test
    void sectorModeOnV11LabelsCarriesNoAbstractionGuidAndIsDetected() {
        TestBus bus = standardBus();
        labels.labeled("region0").version = "1.1";
        start(bus);
        FakeSectorMode btt = new FakeSectorMode();
        namespaces.addModeProvider(btt);
        NamespaceInfo s = namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, null, null));
        assertEquals(ClaimClass.NONE, labels.labeled("region0").namespaces.values().iterator().next().claimClass());
        assertEquals(NamespaceMode.SECTOR, s.mode());
        assertEquals(OptionalInt.of(4096), s.sectorSize());
        namespaces.disable("namespace0.0");
        namespaces.enable("namespace0.0");
        assertEquals(NamespaceMode.SECTOR, info("namespace0.0").mode()); // from the info block
        assertEquals(Optional.of("1.1"), namespaces.find("namespace0.0").orElseThrow().labelVersion());
        assertClean();
    }

    @Test
    void unsupportedModesAreRefusedNamingTheSupportedOnes() {
        start(standardBus());
        for (NamespaceMode m : List.of(NamespaceMode.FSDAX, NamespaceMode.DEVDAX)) {
            String e = refused(Errno.EOPNOTSUPP, () -> namespaces.create(spec("region0", 16 * MIB, m, null, null, null)))
                    .getMessage();
            assertTrue(e.contains("raw and sector"), e);
        }
        assertClean();
    }

    @Test
    void theLabelLessNamespaceIsDestroyedInPlaceAndCreatedAgain() {
        start(standardBus());
        FakeSectorMode btt = new FakeSectorMode();
        namespaces.addModeProvider(btt);
        refused(Errno.EBUSY, () -> namespaces.create(spec("region1", 0, NamespaceMode.SECTOR, null, null, null)));
        refused(Errno.EBUSY, () -> namespaces.destroy("namespace1.0", false));
        namespaces.destroy("namespace1.0", true);
        assertFalse(info("namespace1.0").enabled());
        assertTrue(core.find("namespace1.0").isPresent());
        NamespaceInfo s = namespaces.create(spec("region1", 0, NamespaceMode.SECTOR, null, null, 512));
        assertEquals("namespace1.0", s.dev());
        assertEquals(NamespaceMode.SECTOR, s.mode());
        assertEquals(List.of("format namespace1.0 512 -"), btt.calls);
        namespaces.destroy("namespace1.0", true);
        assertEquals("erase namespace1.0", btt.calls.get(1));
        assertEquals(NamespaceMode.RAW, info("namespace1.0").mode());
        namespaces.create(spec("region1", 32 * MIB));
        assertTrue(disks.disk("pmem1").isPresent());
        assertClean();
    }

    @Test
    void aSetThatDoesNotAssembleIsADisabledNamespaceWithItsReason() {
        TestBus bus = standardBus();
        UUID lost = UUID.randomUUID();
        FakeLabels.Area area = labels.labeled("region0");
        area.unassembled.add(new UnassembledSet(lost, Optional.of("old"), 8 * MIB,
                "missing label for position 1 (nmem1)"));
        area.otherReservations.add(new nvdimm.region.Extent(0, 8 * MIB));
        start(bus);
        NamespaceInfo u = info("namespace0.0");
        assertFalse(u.enabled());
        assertEquals(Optional.of("missing label for position 1 (nmem1)"), u.problem());
        assertEquals(Optional.of(lost), u.uuid());
        assertTrue(info("namespace0.1").seed());
        assertEquals(56 * MIB, region("region0").availableSize());
        String e = refused(Errno.ENXIO, () -> namespaces.enable("namespace0.0")).getMessage();
        assertTrue(e.contains("missing label for position 1"), e);
        refused(Errno.EEXIST, () -> namespaces.create(spec("region0", 8 * MIB, NamespaceMode.RAW, lost, null, null)));
        namespaces.destroy("namespace0.0", false);
        assertTrue(area.unassembled.isEmpty());
        assertTrue(core.find("namespace0.0").isEmpty());
        assertClean();
    }
}
