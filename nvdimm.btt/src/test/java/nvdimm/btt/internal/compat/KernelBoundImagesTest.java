package nvdimm.btt.internal.compat;

import nvdimm.btt.testing.KernelImage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * Images for a real kernel to read (manual: {@code -Dnvdimm.btt.kernelImages=DIR}; see
 * {@code linux-btt/KERNEL-RUNS.md}): a label-less 32 MiB namespace per sector size, as a QEMU nvdimm without
 * labels gives it to Linux (BTT v1.1 at 4096, nil parent uuid), formatted and written by the engine with the
 * harness's pattern (seed = the sector size) at known LBAs, one of them overwritten (seed + 1). Beside each
 * {@code ours-SS.img} an {@code ours-SS.expect} lists {@code LBA sha256} of each written LBA's data bytes, what
 * the kernel's block device returns. Labeled: a guest-made labeled image ({@code ours-NAME.img}) whose BTT the
 * engine formats anew over the label's namespace (its version, the namespace uuid as parent) and writes the
 * same way.
 */
@EnabledIfSystemProperty(named = "nvdimm.btt.kernelImages", matches = ".+")
class KernelBoundImagesTest {

    static final long SIZE = 32L << 20;

    @ParameterizedTest
    @ValueSource(ints = {512, 520, 528, 4096, 4104, 4160, 4224})
    void writeAnImageForTheKernel(int lbasize) throws IOException {
        Path dir = Path.of(System.getProperty("nvdimm.btt.kernelImages"));
        Files.createDirectories(dir);
        Path file = dir.resolve("ours-" + lbasize + ".img");
        Files.deleteIfExists(file);
        try (Medium medium = Media.mapFile(file, SIZE, MapOption.CREATE)) {
            Btt.format(medium, BttVersion.V1_1, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
            writePatterns(medium, BttVersion.V1_1, Optional.empty(), lbasize, dir.resolve("ours-" + lbasize
                    + ".expect"));
            medium.sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel-btt-labeled-v1.2-520", "kernel-btt-labeled-v1.1-4160", "kernel-btt-labeled-v1.2-4096",
        "kernel-btt-labeled-v1.1-512"})
    void formatALabeledImageForTheKernel(String name) throws IOException {
        Path dir = Path.of(System.getProperty("nvdimm.btt.kernelImages"));
        Files.createDirectories(dir);
        KernelImage image = new KernelImage(name);
        Path file = dir.resolve("ours-" + name + ".img");
        Files.deleteIfExists(file);
        try (Medium source = image.image(); Medium medium = Media.mapFile(file, source.size(), MapOption.CREATE)) {
            byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < source.size(); at += chunk.length) {
                int n = (int) Math.min(chunk.length, source.size() - at);
                source.read(at, chunk, 0, n);
                medium.write(at, chunk, 0, n);
            }
            Medium ns = image.namespace(medium);
            Btt.format(ns, image.version(), image.sectorSize(), UUID.randomUUID(),
                    image.namespaceUuid().orElseThrow());
            writePatterns(ns, image.version(), image.namespaceUuid(), image.sectorSize(),
                    dir.resolve("ours-" + name + ".expect"));
            medium.sync();
        }
    }

    /**
     * A label-less two-arena BTT for the kernel ({@code ours-multiarena.img}: 4 KiB + 512 GiB + 32 MiB sparse,
     * 4224-byte sectors, about 500 MiB allocated by the map's zeroing; {@code -Dnvdimm.btt.multiArena=true}):
     * the pattern at the first, second, middle and last two LBAs of each arena.
     */
    @org.junit.jupiter.api.Test
    @EnabledIfSystemProperty(named = "nvdimm.btt.multiArena", matches = "true")
    void writeAMultiArenaImageForTheKernel() throws IOException {
        Path dir = Path.of(System.getProperty("nvdimm.btt.kernelImages"));
        Files.createDirectories(dir);
        Path file = dir.resolve("ours-multiarena.img");
        Files.deleteIfExists(file);
        int lbasize = 4224;
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        List<String> expect = new ArrayList<>();
        try (Medium medium = Media.mapFile(file, 4096 + (512L << 30) + (32L << 20), MapOption.CREATE)) {
            Btt.format(medium, BttVersion.V1_1, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
            Btt btt = Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(),
                    TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
            assertEquals(2, btt.arenas().size());
            for (var a : btt.arenas()) {
                long first = a.externalLbaStart();
                long last = first + a.geometry().externalNlba() - 1;
                for (long lba : new long[] {first, first + 1, (first + last) / 2, last - 1, last}) {
                    byte[] data = KbttPattern.sector(lbasize, lba, lbasize);
                    btt.write(lba, MemorySegment.ofArray(data));
                    expect.add(lba + " " + KbttPattern.sha256Hex(java.util.Arrays.copyOf(data, btt.dataBytes())));
                }
            }
            medium.sync();
        }
        Files.write(dir.resolve("ours-multiarena.expect"), expect);
    }

    private static void writePatterns(Medium medium, BttVersion version, Optional<UUID> nsUuid, int lbasize,
            Path expectFile) throws IOException {
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        List<String> expect = new ArrayList<>();
        Btt btt = Btt.load("btt0.0", medium, version, nsUuid,
                TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
        long last = btt.sectors() - 1;
        List<Long> lbas = new ArrayList<>();
        for (long lba = 0; lba < 40; lba++) {
            lbas.add(lba);
        }
        lbas.addAll(List.of(last / 2, last - 1, last));
        for (long lba : lbas) {
            btt.write(lba, MemorySegment.ofArray(KbttPattern.sector(lbasize, lba, lbasize)));
        }
        btt.write(5, MemorySegment.ofArray(KbttPattern.sector(lbasize + 1, 5, lbasize)));
        for (long lba : lbas) {
            int seed = lba == 5 ? lbasize + 1 : lbasize;
            byte[] data = java.util.Arrays.copyOf(KbttPattern.sector(seed, lba, lbasize), btt.dataBytes());
            expect.add(lba + " " + KbttPattern.sha256Hex(data));
        }
        assertEquals(List.of(), btt.consistencyProblems());
        Files.write(expectFile, expect);
    }
}
