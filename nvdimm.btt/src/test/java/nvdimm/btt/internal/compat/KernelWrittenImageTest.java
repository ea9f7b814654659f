package nvdimm.btt.internal.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * A label-less image a guest wrote, too big for the resources (manual: {@code -Dnvdimm.btt.readImage=IMG}, with
 * {@code IMG} minus {@code .img} plus {@code .sha256} listing {@code LBA sha256} as the kernel read them): the
 * engine loads it, reads each listed LBA's data bytes with the kernel's hash and finds it consistent. Used for
 * the multi-arena round trip of {@code linux-btt/KERNEL-RUNS.md}.
 */
@EnabledIfSystemProperty(named = "nvdimm.btt.readImage", matches = ".+")
class KernelWrittenImageTest {

    @Test
    void theEngineReadsWhatTheKernelRead() throws IOException {
        Path image = Path.of(System.getProperty("nvdimm.btt.readImage"));
        Path hashes = image.resolveSibling(image.getFileName().toString().replaceFirst("\\.img$", "") + ".sha256");
        List<String> lines = Files.readAllLines(hashes).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), hashes + " lists no sector");
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        try (Medium medium = Media.mapFile(image)) {
            Btt btt = Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(),
                    TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
            assertEquals(0, btt.recoveryStores());
            byte[] sector = new byte[btt.sectorSize()];
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                long lba = Long.parseLong(f[0]);
                btt.read(lba, MemorySegment.ofArray(sector));
                assertEquals(f[1], KbttPattern.sha256Hex(Arrays.copyOf(sector, btt.dataBytes())), "LBA " + lba);
            }
            assertEquals(List.of(), btt.consistencyProblems());
            System.out.println(image + ": " + btt + ", " + lines.size() + " LBAs as the kernel read them");
        }
    }
}
