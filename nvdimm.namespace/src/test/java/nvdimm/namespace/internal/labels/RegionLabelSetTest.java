package nvdimm.namespace.internal.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreaEditor;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.namespace.label.NamespaceLabel;
import nvdimm.region.Extent;
import nvdimm.region.InterleaveSetCookies;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegionLabelSetTest extends LabelsTestBase {

    static final long DIMM = 16L << 20;
    static final int K128 = 128 * 1024;
    final RegionLabelReader reader = new RegionLabelReaderComponent();

    static LabelAreaEditor init(LabelBus bus, int handle, LabelVersion v) {
        byte[] a = bus.area(handle);
        return LabelAreaEditor.initialize(a.length, v, (off, src, o, len) -> System.arraycopy(src, o, a, (int) off, len));
    }

    static InterleaveSetCookies cookies(LabelBus bus, int region) {
        return InterleaveSetCookies.compute(bus.regions().get(region).mappings(), bus.dimms());
    }

    static NamespaceLabel label(UUID uuid, String name, int nlabel, int position, long cookie, long dpa, long raw) {
        return new NamespaceLabel(uuid, name, 0, nlabel, position, cookie, 512, dpa, raw, 0, 0,
                NamespaceLabel.PMEM_TYPE_GUID, NamespaceLabel.NULL_GUID);
    }

    static LabelBus twoWay() {
        return new LabelBus("two").dimm(DIMM, K128).dimm(DIMM, K128).region(0, 1);
    }

    @Test
    void zeroedLabelAreasAreLabelLess() {
        bring(twoWay());
        RegionLabels rl = reader.read(region("region0"));
        assertFalse(rl.labeled());
        assertEquals(List.of(), rl.namespaces());
        assertEquals(List.of(), rl.reserved());
        assertEquals(0, rl.freeSlots());
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> rl.write(new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 8192, 512, new UUID(0, 0))));
        assertEquals(Errno.ENXIO, e.errno());
        assertClean();
    }

    @Test
    void regionsWithoutDimmsOrLabelAreasAreLabelLess() {
        bring(new LabelBus("plain").dimm(DIMM, 0).region(0).dimmless(DIMM));
        assertFalse(reader.read(region("region0")).labeled());
        assertFalse(reader.read(region("region1")).labeled());
        assertClean();
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void writeAssembleAndDeleteOnTwoDimms(LabelVersion v) {
        LabelBus bus = twoWay();
        init(bus, 0, v);
        init(bus, 1, v);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        assertTrue(rl.labeled());
        assertEquals(v.text(), rl.version());
        int slots = (int) nvdimm.namespace.label.LabelGeometry.of(K128, v).nslot();
        assertEquals(slots - 1, rl.freeSlots());
        UUID uuid = UUID.randomUUID();
        UUID btt = ClaimClass.BTT2.guid().orElseThrow();
        LabeledNamespace ns = new LabeledNamespace(uuid, Optional.of("data"), 2 << 20, 4 << 20, 4096, btt);
        bus.calls.clear();
        rl.write(ns);
        LabeledNamespace expected = v == LabelVersion.V1_2 ? ns
                : new LabeledNamespace(uuid, Optional.of("data"), 2 << 20, 4 << 20, 4096, new UUID(0, 0));
        assertEquals(List.of(expected), rl.namespaces());
        assertEquals(List.of(new Extent(2 << 20, 4 << 20)), rl.reserved());
        assertEquals(slots - 2, rl.freeSlots());
        // both DIMMs hold one final label at dpa 1 MiB, 2 MiB each, with their positions and the version's cookie
        long cookie = cookies(bus, 0).forLabelVersion(v.major(), v.minor());
        for (int d = 0; d < 2; d++) {
            LabelArea a = LabelArea.parse(bus.area(d));
            assertEquals(1, a.labels().size());
            NamespaceLabel l = a.labels().getFirst();
            assertEquals(d, l.position());
            assertEquals(2, l.nlabel());
            assertEquals(0, l.flags());
            assertEquals(cookie, l.isetCookie());
            assertEquals(1 << 20, l.dpa());
            assertEquals(2 << 20, l.rawSize());
        }
        // label I/O went through the command path in transfers of at most the max transfer
        assertTrue(bus.calls.stream().anyMatch(c -> c.startsWith("write")));
        assertTrue(bus.calls.stream().allMatch(c -> Integer.parseInt(c.substring(c.lastIndexOf(' ') + 1))
                <= LabelBus.MAX_TRANSFER), bus.calls::toString);
        // a fresh read sees the same; delete frees both
        assertEquals(List.of(expected), reader.read(region("region0")).namespaces());
        rl.delete(uuid);
        assertEquals(List.of(), rl.namespaces());
        assertEquals(List.of(), rl.reserved());
        assertEquals(List.of(), LabelArea.parse(bus.area(1)).labels());
        assertClean();
    }

    @Test
    void updateKeepsTheSlotCountAndRenames() {
        LabelBus bus = twoWay();
        init(bus, 0, LabelVersion.V1_2);
        init(bus, 1, LabelVersion.V1_2);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        UUID uuid = UUID.randomUUID();
        rl.write(new LabeledNamespace(uuid, Optional.of("a"), 0, 8 << 20, 512, new UUID(0, 0)));
        int free = rl.freeSlots();
        rl.write(new LabeledNamespace(uuid, Optional.of("b"), 0, 8 << 20, 512, new UUID(0, 0)));
        assertEquals(free, rl.freeSlots());
        assertEquals(Optional.of("b"), rl.namespaces().getFirst().name());
        assertClean();
    }

    @Test
    void aDimmOfTheSetWithoutIndexIsInitialisedOnFirstWrite() {
        LabelBus bus = twoWay();
        init(bus, 0, LabelVersion.V1_2);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        assertTrue(rl.labeled());
        UUID uuid = UUID.randomUUID();
        rl.write(new LabeledNamespace(uuid, Optional.empty(), 0, 8192, 512, new UUID(0, 0)));
        assertEquals(1, rl.namespaces().size());
        assertEquals(LabelVersion.V1_2, LabelArea.parse(bus.area(1)).version());
        assertClean();
    }

    @Test
    void refusalsWriteNothing() {
        LabelBus bus = twoWay();
        init(bus, 0, LabelVersion.V1_2);
        init(bus, 1, LabelVersion.V1_2);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        byte[] a0 = bus.area(0).clone();
        byte[] a1 = bus.area(1).clone();
        for (LabeledNamespace bad : List.of(
                new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 4096, 512, new UUID(0, 0)),
                new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 4096, 8192, 512, new UUID(0, 0)),
                new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 2 * DIMM + 8192, 512, new UUID(0, 0)),
                new LabeledNamespace(UUID.randomUUID(), Optional.of("x".repeat(64)), 0, 8192, 512, new UUID(0, 0)))) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> rl.write(bad));
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
        }
        assertArrayEquals(a0, bus.area(0));
        assertArrayEquals(a1, bus.area(1));
        bus.failures.put("write", new NvdimmException(Errno.ENOMEM, "nmem0: provider out of memory"));
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> rl.write(new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 8192, 512, new UUID(0, 0))));
        assertEquals(Errno.ENOMEM, e.errno());
        assertArrayEquals(a0, bus.area(0));
        assertClean();
    }

    @Test
    void writesUnderADeviceLockAreRefused() {
        LabelBus bus = twoWay();
        init(bus, 0, LabelVersion.V1_2);
        init(bus, 1, LabelVersion.V1_2);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        byte[] a0 = bus.area(0).clone();
        try (var held = core.lock(region("region0").device())) {
            NvdimmException e = assertThrows(NvdimmException.class,
                    () -> rl.write(new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 8192, 512, new UUID(0, 0))));
            assertEquals(Errno.EDEADLK, e.errno());
            assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, () -> rl.delete(UUID.randomUUID())).errno());
        }
        assertArrayEquals(a0, bus.area(0));
        lockdep.reset(); // the refusals filed their reports
        assertClean();
    }

    @Test
    void fullLabelAreasRefuseWithEnospc() {
        LabelBus bus = new LabelBus("one").dimm(DIMM, K128).region(0);
        LabelAreaEditor e = init(bus, 0, LabelVersion.V1_2);
        long cookie = cookies(bus, 0).cookie2();
        for (int i = 0; i < 509; i++) {
            e.write(label(UUID.randomUUID(), "", 1, 0, cookie, 0, 4096), "nmem0");
        }
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        assertEquals(0, rl.freeSlots());
        byte[] before = bus.area(0).clone();
        NvdimmException x = assertThrows(NvdimmException.class,
                () -> rl.write(new LabeledNamespace(UUID.randomUUID(), Optional.empty(), 0, 8192, 512, new UUID(0, 0))));
        assertEquals(Errno.ENOSPC, x.errno());
        assertArrayEquals(before, bus.area(0));
    }

    // ------------------------------------------------------------------ sets that do not assemble

    /** Labels written straight into the DIMMs' areas before the bus comes up. */
    RegionLabels withLabels(LabelVersion v, NamespaceLabel on0, NamespaceLabel on1) {
        LabelBus bus = twoWay();
        LabelAreaEditor e0 = init(bus, 0, v);
        LabelAreaEditor e1 = init(bus, 1, v);
        if (on0 != null) {
            e0.write(on0, "nmem0");
        }
        if (on1 != null) {
            e1.write(on1, "nmem1");
        }
        bring(bus);
        return reader.read(region("region0"));
    }

    long cookie2() {
        return cookies(twoWay(), 0).cookie2();
    }

    String reasonOf(RegionLabels rl) {
        assertEquals(List.of(), rl.namespaces());
        assertEquals(1, rl.unassembled().size());
        return rl.unassembled().getFirst().reason();
    }

    /**
     * A destroy cut short between its DIMMs (a process killed there) leaves a set that is still found, listed with
     * its reason and destroyed again; deleting position 0 first left a label on the other DIMM that no listing
     * shows and that holds its capacity for good (found by the process-kill test).
     */
    @Test
    void aDestroyCutShortBetweenItsDimmsLeavesASetThatIsStillFound() {
        LabelBus bus = twoWay();
        init(bus, 0, LabelVersion.V1_2);
        init(bus, 1, LabelVersion.V1_2);
        bring(bus);
        RegionLabels rl = reader.read(region("region0"));
        UUID uuid = UUID.randomUUID();
        rl.write(new LabeledNamespace(uuid, Optional.of("going"), 0, 4 << 20, 512, NamespaceLabel.NULL_GUID));
        bus.cutAfterFirstDimm = true;
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> rl.delete(uuid)).errno());
        bus.cutAfterFirstDimm = false;
        RegionLabels after = reader.read(region("region0"));
        assertEquals(List.of(), after.namespaces());
        assertEquals(List.of(uuid), after.unassembled().stream().map(UnassembledSet::uuid).toList(),
                "the half-destroyed set is still found: " + after.reserved());
        after.delete(uuid);
        assertEquals(List.of(), reader.read(region("region0")).reserved(), "destroyed again, its capacity is free");
        assertClean();
    }

    @Test
    void missingPositionIsShownWithItsDimm() {
        UUID u = UUID.randomUUID();
        RegionLabels rl = withLabels(LabelVersion.V1_2, label(u, "half", 2, 0, cookie2(), 0, 1 << 20), null);
        assertEquals("missing label for position 1 (nmem1)", reasonOf(rl));
        assertEquals(Optional.of("half"), rl.unassembled().getFirst().name());
        assertEquals(1 << 20, rl.unassembled().getFirst().size());
        assertEquals(List.of(new Extent(0, 2 << 20)), rl.reserved()); // still reserves its DPA
        assertClean();
    }

    @Test
    void wrongCookiePositionNlabelOrOffsetDoNotAssemble() {
        UUID u = UUID.randomUUID();
        long c = cookie2();
        assertTrue(reasonOf(withLabels(LabelVersion.V1_2, label(u, "", 2, 0, c, 0, 4096), label(u, "", 2, 1, c + 1, 0, 4096)))
                .startsWith("interleave-set cookie"));
        closeCore();
        createCore();
        assertEquals("the label for position 1 (nmem1) says position 0",
                reasonOf(withLabels(LabelVersion.V1_2, label(u, "", 2, 0, c, 0, 4096), label(u, "", 2, 0, c, 0, 4096))));
        closeCore();
        createCore();
        assertEquals("the label for position 0 (nmem0) says nlabel 1, the set has 2",
                reasonOf(withLabels(LabelVersion.V1_2, label(u, "", 1, 0, c, 0, 4096), label(u, "", 2, 1, c, 0, 4096))));
        closeCore();
        createCore();
        assertEquals("the label for position 1 (nmem1) disagrees with position 0 on offset or size",
                reasonOf(withLabels(LabelVersion.V1_2, label(u, "", 2, 0, c, 0, 4096), label(u, "", 2, 1, c, 8192, 4096))));
    }

    @Test
    void v11LabelsSelectCookie1AndAcceptTheAltCookie() {
        UUID u = UUID.randomUUID();
        InterleaveSetCookies k = cookies(twoWay(), 0);
        RegionLabels rl = withLabels(LabelVersion.V1_1, label(u, "", 2, 0, k.cookie1(), 0, 4096),
                label(u, "", 2, 1, k.cookie1(), 0, 4096));
        assertEquals(1, rl.namespaces().size());
        assertEquals(ClaimClass.NONE, rl.namespaces().getFirst().claimClass());
        closeCore();
        createCore();
        rl = withLabels(LabelVersion.V1_1, label(u, "", 2, 0, k.altCookie(), 0, 4096), label(u, "", 2, 1, k.altCookie(), 0, 4096));
        assertEquals(1, rl.namespaces().size());
        closeCore();
        createCore();
        assertTrue(reasonOf(withLabels(LabelVersion.V1_1, label(u, "", 2, 0, k.cookie2(), 0, 4096),
                label(u, "", 2, 1, k.cookie2(), 0, 4096))).startsWith("interleave-set cookie"));
    }
}
