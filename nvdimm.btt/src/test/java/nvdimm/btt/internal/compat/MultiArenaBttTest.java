package nvdimm.btt.internal.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * A BTT over 512 GiB on a sparse file, formatted, written and reloaded by the engine: sectors in every arena,
 * the first and last LBA of each among them, read back after a reload, the metadata consistent.
 *
 * <p>Cost, measured on the shared 2-core machine: the format zeroes the first arena's map as Linux does, and
 * writing zeros allocates the sparse file's blocks (503 MiB allocated for the smallest case below, about 5 s);
 * the consistency check reads every map entry (130 million, about 8 s). So the suite runs only the smallest
 * two-arena layout, with one consistency check, and the file goes when the test ends; the three-arena 1 TiB
 * case (1 GiB of maps) runs with {@code -Dnvdimm.btt.long=true}.
 */
class MultiArenaBttTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    /**
     * The smallest two-arena BTT (v1.1: 4 KiB + 512 GiB + 16 MiB, the second arena exactly 16 MiB) with the
     * smallest map (4224-byte sectors: the first arena's map is still 496 MiB, which the format zeroes).
     */
    @Test
    void theSmallestTwoArenaBtt(@TempDir Path dir) throws IOException {
        run(dir, 4096 + 512 * GIB + 16 * MIB, 4224, BttVersion.V1_1);
    }

    /** 1 TiB + 17 MiB, v2.0, 4096-byte sectors: three arenas (1 GiB of maps); {@code -Dnvdimm.btt.long=true}. */
    @Test
    @EnabledIfSystemProperty(named = "nvdimm.btt.long", matches = "true")
    void aThreeArenaBtt(@TempDir Path dir) throws IOException {
        run(dir, 1024 * GIB + 17 * MIB, 4096, BttVersion.V2_0);
    }

    private void run(Path dir, long size, int lbasize, BttVersion version) throws IOException {
        Path file = dir.resolve("ns.img");
        try (Medium medium = Media.mapFile(file, size, MapOption.CREATE)) {
            BttLayout layout = Btt.format(medium, version, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
            int arenas = layout.arenas().size();
            Btt btt = open(medium, version);
            assertEquals(arenas, btt.arenas().size());
            Map<Long, byte[]> written = new LinkedHashMap<>();
            for (DiscoveredArena a : btt.arenas()) {
                long first = a.externalLbaStart();
                long last = first + a.geometry().externalNlba() - 1;
                for (long lba : new long[] {first, first + 1, (first + last) / 2, last - 1, last}) {
                    byte[] data = KbttPattern.sector(7, lba, lbasize);
                    btt.write(lba, MemorySegment.ofArray(data));
                    written.put(lba, data);
                }
            }
            assertEquals(layout.externalNlba(), btt.sectors());
            btt.close();

            Btt again = open(medium, version);
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                byte[] got = new byte[lbasize];
                again.read(e.getKey(), MemorySegment.ofArray(got));
                assertArrayEquals(e.getValue(), got, "LBA " + e.getKey());
            }
            assertEquals(List.of(), again.consistencyProblems());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Btt open(Medium medium, BttVersion version) {
        return Btt.load("btt0.0", medium, version, Optional.empty(),
                TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }
}
