package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.testing.FuzzMedium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.UuidBytes;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
import nvdimm.region.testing.TestLanes;

/**
 * Jazzer fuzz test of the engine's load ({@link Btt#load}: discovery, info blocks, log, free list, map
 * roll-forward) on a whole namespace image, then of its I/O on what it loaded: reads of the first and last
 * sectors, writes (each must read back), {@link Btt#consistencyProblems}. A failure is any exception but a clean
 * {@link NvdimmException}, an access outside the medium, a store outside the loaded arenas' data blocks, map
 * and log, or a written sector that reads back otherwise.
 *
 * <p>Input: a sparse namespace image ({@link FuzzMedium#of}); both versions are tried, each with the info
 * blocks where that version has them resealed, and with the namespace uuid the first info block names as
 * parent (labels that agree). Seeds ({@code BttLoadFuzzTestInputs/load/}): info block, first map page, log and
 * info2 pages of Linux-made images ({@code cnf/fuzz/make-btt-seeds.py}). Without {@code JAZZER_FUZZ=1} only
 * the seeds run; with it ({@code cnf/fuzz/run-fuzz.sh}) 10⁶ executions or 10 minutes.
 */
class BttLoadFuzzTest {

    static final Lockdep LOCKDEP = new Lockdep(LockdepMode.THROW, r -> { });
    static final LanePool LANES = TestLanes.pool("region0", LOCKDEP, 4, LanePolicy.HASH);
    static final int READS = 16;
    static final int WRITES = 4;

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void load(byte[] input) {
        FuzzMedium image = FuzzMedium.of("namespace0.0", input);
        for (BttVersion version : BttVersion.values()) {
            FuzzMedium m = image.copy();
            m.resealInfoBlock(version.initialOffset());
            loadAndUse(m, version);
            m.assertNoViolations();
        }
    }

    /** The seeds are BTTs: each Linux-made image's cut loads in the version its labels call for. */
    @org.junit.jupiter.api.Test
    void theLinuxSeedsLoad() throws java.io.IOException {
        for (String name : List.of("kernel-btt-512", "kernel-btt-4224", "kernel-btt-520", "kernel-btt-labeled-v1.1-512",
                "kernel-btt-labeled-v1.2-4096", "kernel-btt-labeled-v1.2-520")) {
            BttVersion version = new nvdimm.btt.testing.KernelImage(name).version();
            try (var in = getClass().getResourceAsStream("BttLoadFuzzTestInputs/load/" + name)) {
                FuzzMedium m = FuzzMedium.of(name, in.readAllBytes());
                try (Btt btt = Btt.load("btt0.0", m, version, parentOf(m, version), LANES, LOCKDEP, MediaErrors.NONE)) {
                    assertTrue(btt.sectors() > 0, name);
                    assertEquals(List.of(), btt.consistencyProblems(), name);
                }
                m.assertNoViolations();
            }
        }
    }

    private static void loadAndUse(FuzzMedium m, BttVersion version) {
        m.recordWrites();
        Btt btt;
        try {
            btt = Btt.load("btt0.0", m, version, parentOf(m, version), LANES, LOCKDEP, MediaErrors.NONE);
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
            return;
        }
        try (btt) {
            List<long[]> parts = parts(btt);
            byte[] sector = new byte[btt.sectorSize()];
            MemorySegment buf = MemorySegment.ofArray(sector);
            long sectors = btt.sectors();
            for (long lba = 0; lba < Math.min(READS, sectors); lba++) {
                read(btt, lba, buf);
            }
            read(btt, sectors - 1, buf);
            for (int i = 0; i < WRITES && i < sectors; i++) {
                long lba = i == WRITES - 1 ? sectors - 1 : i;
                byte[] data = new byte[btt.sectorSize()];
                java.util.Arrays.fill(data, (byte) (0x5a + i));
                try {
                    btt.write(lba, MemorySegment.ofArray(data));
                } catch (NvdimmException e) {
                    FuzzMedium.assertClean(e);
                    continue;
                }
                byte[] back = new byte[btt.sectorSize()];
                btt.read(lba, MemorySegment.ofArray(back));
                assertArrayEquals(data, back, "LBA " + lba + " was written and reads back otherwise");
            }
            try {
                btt.consistencyProblems();
            } catch (NvdimmException e) {
                FuzzMedium.assertClean(e);
            }
            for (long[] w : m.writes()) {
                assertTrue(parts.stream().anyMatch(p -> w[0] >= p[0] && w[0] + w[1] <= p[1]), "a store of "
                        + w[1] + " bytes at " + w[0] + " lies outside the arenas' data, map and log: " + btt.arenas());
            }
        }
    }

    private static void read(Btt btt, long lba, MemorySegment buf) {
        try {
            btt.read(lba, buf);
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
        }
    }

    /** The medium ranges a loaded BTT may store to: each arena's data blocks, map and log. */
    static List<long[]> parts(Btt btt) {
        long start = btt.version().initialOffset();
        List<long[]> parts = new ArrayList<>();
        for (DiscoveredArena a : btt.arenas()) {
            ArenaGeometry g = a.geometry();
            parts.add(new long[] {start + g.dataBlockOffset(0), start + g.dataBlockOffset(g.internalNlba())});
            parts.add(new long[] {start + g.mapEntryOffset(0), start + g.mapEntryOffset(g.externalNlba())});
            parts.add(new long[] {start + g.logGroupOffset(0), start + g.logGroupOffset(g.nfree())});
        }
        return parts;
    }

    /** The parent uuid of the first info block where {@code version} has it, as agreeing labels would give. */
    static Optional<UUID> parentOf(FuzzMedium m, BttVersion version) {
        if (m.size() < version.initialOffset() + InfoBlock.SIZE) {
            return Optional.empty();
        }
        byte[] uuid = new byte[16];
        m.read(version.initialOffset() + 32, uuid);
        UUID parent = UuidBytes.uuid(uuid, 0);
        return InfoBlock.NIL_UUID.equals(parent) ? Optional.empty() : Optional.of(parent);
    }
}
