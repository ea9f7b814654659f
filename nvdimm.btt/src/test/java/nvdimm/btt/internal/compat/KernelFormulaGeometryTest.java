package nvdimm.btt.internal.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * The arena layout for every sector size and a spread of namespace sizes, both initial offsets, equals the
 * kernel formula as the formats spec (§1.3) states it, computed here on its own ({@link #kernelFormula}) rather
 * than through the production code; small namespaces are also formatted and loaded by the engine.
 */
class KernelFormulaGeometryTest {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final int[] SECTOR_SIZES = {512, 520, 528, 4096, 4104, 4160, 4224};
    private static final long[] NAMESPACE_SIZES = {16 * MIB, 16 * MIB + 4 * KIB, 16 * MIB + 4 * KIB + 1,
        18 * MIB + 12345, 20 * MIB, 27 * MIB, 64 * MIB, 100 * MIB + 513, GIB, GIB + 4095, 512 * GIB,
        512 * GIB + 4 * KIB, 512 * GIB + 16 * MIB, 512 * GIB + 16 * MIB + 4 * KIB, 512 * GIB + 64 * MIB,
        TIB + 17 * MIB, 2 * TIB + 16 * MIB + 4 * KIB - 1};

    /** One arena as the spec's formula lays it out. */
    record Expected(long start, long nextOff, int internalLbaSize, long internalNlba, long externalNlba,
            long dataOff, long mapOff, long logOff, long info2Off) {
    }

    /** §1.3, step by step: split {@code raw} into arenas, then lay out each. */
    static List<Expected> kernelFormula(long raw, int lbasize) {
        List<Expected> arenas = new ArrayList<>();
        long remaining = raw;
        long offset = 0;
        while (remaining > 0) {
            long size = Math.min(1L << 39, remaining);
            remaining -= size;
            if (size < (1L << 24)) {
                break;
            }
            long nextOff = remaining >= (1L << 24) ? size : 0;
            long available = size / 4096 * 4096 - 2 * 4096;
            long logSize = 256 * 64;
            available -= logSize;
            int internalLbaSize = (lbasize + 63) / 64 * 64;
            long internalNlba = (available - 4096) / (internalLbaSize + 4);
            long externalNlba = internalNlba - 256;
            long mapSize = (externalNlba * 4 + 4095) / 4096 * 4096;
            long dataSize = available - mapSize;
            long mapOff = 4096 + dataSize;
            long logOff = mapOff + mapSize;
            arenas.add(new Expected(offset, nextOff, internalLbaSize, internalNlba, externalNlba, 4096, mapOff,
                    logOff, logOff + logSize));
            offset += size;
        }
        return arenas;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int lbasize : SECTOR_SIZES) {
            for (long size : NAMESPACE_SIZES) {
                for (BttVersion v : BttVersion.values()) {
                    cases.add(Arguments.of(lbasize, size, v));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} B sectors, namespace {1}, {2}")
    @MethodSource("cases")
    void theLayoutIsTheKernelFormula(int lbasize, long namespaceSize, BttVersion version) {
        long raw = namespaceSize - version.initialOffset();
        List<Expected> expected = kernelFormula(raw, lbasize);
        if (expected.isEmpty()) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> BttLayout.plan(raw, lbasize));
            assertEquals(Errno.ENXIO, e.errno(), "under 16 MiB after the initial offset, as attach_btt refuses");
            return;
        }
        BttLayout layout = BttLayout.plan(raw, lbasize);
        assertEquals(expected.size(), layout.arenas().size());
        long sectors = 0;
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            ArenaGeometry a = layout.arenas().get(i);
            assertEquals(e, new Expected(a.start(), a.nextOff(), a.internalLbaSize(), a.internalNlba(),
                    a.externalNlba(), a.dataOff(), a.mapOff(), a.logOff(), a.info2Off()), "arena " + i);
            assertEquals(lbasize, a.externalLbaSize());
            assertEquals(256, a.nfree());
            assertTrue(a.internalNlba() < (1L << 30), "post-map blocks fit the map entry's 30 bits");
            long arenaSize = Math.min(1L << 39, raw - e.start());
            assertEquals(arenaSize / 4096 * 4096 - 4096, a.info2Off(), "info2 in the arena's last 4 KiB page");
            assertEquals(e.nextOff() != 0 ? e.nextOff() : e.info2Off() + 4096, a.size());
            sectors += e.externalNlba();
        }
        assertEquals(sectors, layout.externalNlba());
        assertEquals(sectors * (lbasize >= 4096 ? 4096 : 512), layout.capacity());
    }

    @ParameterizedTest(name = "{0} B sectors")
    @MethodSource("sectorSizes")
    void smallNamespacesFormattedByTheEngineLoadWithTheFormulasArenas(int lbasize) {
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        for (long size : new long[] {16 * MIB + 4 * KIB, 18 * MIB + 12345, 27 * MIB}) {
            for (BttVersion v : BttVersion.values()) {
                try (Medium m = Media.memory("ns", size)) {
                    Btt.format(m, v, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
                    Btt btt = Btt.load("btt0.0", m, v, Optional.empty(),
                            TestLanes.pool("region0", lockdep, 2, LanePolicy.HASH), lockdep, MediaErrors.NONE);
                    Expected e = kernelFormula(size - v.initialOffset(), lbasize).getFirst();
                    DiscoveredArena a = btt.arenas().getFirst();
                    assertEquals(1, btt.arenas().size());
                    assertEquals(e.externalNlba(), btt.sectors());
                    assertEquals(e.mapOff(), a.info().mapOff());
                    assertEquals(e.logOff(), a.info().logOff());
                    assertEquals(e.info2Off(), a.info().info2Off());
                    assertEquals(e.internalNlba(), a.info().internalNlba());
                    assertEquals(v.major(), a.info().versionMajor());
                    assertEquals(List.of(), btt.consistencyProblems());
                }
            }
        }
    }

    static int[] sectorSizes() {
        return SECTOR_SIZES;
    }

    /** The spec's worked examples and ndctl's expectations, as numbers. */
    @Test
    void theSpecsWorkedExamplesAndNdctlsCapacities() {
        Expected e = kernelFormula(18 * MIB, 512).getFirst();
        assertEquals(List.of(36522L, 36266L, 0x11d7000L, 0x11fb000L, 0x11ff000L),
                List.of(e.internalNlba(), e.externalNlba(), e.mapOff(), e.logOff(), e.info2Off()));
        e = kernelFormula(64 * MIB, 4096).getFirst(); // btt-pad-compat
        assertEquals(List.of(0x3fe9L, 0x3ee9L, 0x3feb000L, 0x3ffb000L, 0x3fff000L),
                List.of(e.internalNlba(), e.externalNlba(), e.mapOff(), e.logOff(), e.info2Off()));
        e = kernelFormula(18 * MIB - 4096, 4096).getFirst();
        assertEquals(List.of(4595L, 4339L, 0x11f5000L, 0x11fa000L, 0x11fe000L),
                List.of(e.internalNlba(), e.externalNlba(), e.mapOff(), e.logOff(), e.info2Off()));
        e = kernelFormula(GIB - 4096, 4096).getFirst();
        assertEquals(List.of(261880L, 261624L, 0x3fefa000L, 0x3fffa000L, 0x3fffe000L),
                List.of(e.internalNlba(), e.externalNlba(), e.mapOff(), e.logOff(), e.info2Off()));
        List<Expected> two = kernelFormula(512 * GIB + 64 * MIB - 4096, 4096);
        assertEquals(List.of(134086776L, 1L << 39, 16360L, 0L), List.of(two.get(0).internalNlba(),
                two.get(0).nextOff(), two.get(1).internalNlba(), two.get(1).nextOff()));
        // test/libndctl.c check_btt_size, 512-byte sectors at offset 0
        assertEquals(0x11b5400L, BttLayout.plan(18 * MIB, 512).capacity());
        assertEquals(0x13b1400L, BttLayout.plan(20 * MIB, 512).capacity());
        assertEquals(0x1aa3600L, BttLayout.plan(27 * MIB, 512).capacity());
        // the kernel's own images (shared/tools/kernel-btt/README.md)
        assertEquals(new Expected(0, 0, 512, 129992, 129736, 4096, 66564096, 67084288, 67100672),
                kernelFormula(64 * MIB - 4096, 512).getFirst());
        assertEquals(new Expected(0, 0, 4096, 12269, 12013, 4096, 50262016, 50311168, 50327552),
                kernelFormula(48 * MIB, 4096).getFirst());
    }
}
