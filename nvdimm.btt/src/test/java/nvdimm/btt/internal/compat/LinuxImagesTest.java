package nvdimm.btt.internal.compat;

import nvdimm.btt.testing.KernelImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttChecksum;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.SectorSizes;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * The engine on the images a Linux 6.1 guest made ({@link KernelImage#all()}): it loads each, reads every sector
 * the kernel read back with the kernel's sha256, finds the metadata consistent, decodes every info block
 * (each arena, primary and backup) to the dump's fields, and after writing new sectors, listed and not, a
 * reload reads them back, stays consistent and leaves the other listed sectors as the kernel wrote them.
 */
class LinuxImagesTest {

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    static KernelImage[] images() {
        return KernelImage.all();
    }

    private Btt load(KernelImage image, Medium namespace) {
        return Btt.load("btt0.0", namespace, image.version(), image.namespaceUuid(),
                TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }

    /** The sha256 of an LBA's data bytes, what the kernel's block device (no integrity reader) returns. */
    private static String dataHash(Btt btt, long lba) {
        byte[] sector = new byte[btt.sectorSize()];
        btt.read(lba, MemorySegment.ofArray(sector));
        return KbttPattern.sha256Hex(Arrays.copyOf(sector, btt.dataBytes()));
    }

    @ParameterizedTest
    @MethodSource("images")
    void everyListedSectorReadsWithTheKernelsHash(KernelImage image) {
        try (Medium file = image.image()) {
            Btt btt = load(image, image.namespace(file));
            assertEquals(0, btt.recoveryStores(), "a cleanly shut down BTT needs no recovery");
            Map<Long, String> hashes = image.sectorHashes();
            assertTrue(hashes.size() >= 64, hashes.size() + " sectors listed");
            for (Map.Entry<Long, String> e : hashes.entrySet()) {
                assertEquals(e.getValue(), dataHash(btt, e.getKey()), image + " LBA " + e.getKey());
            }
            assertEquals(List.of(), btt.consistencyProblems());
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void everyInfoBlockHasTheDumpsFields(KernelImage image) {
        try (Medium file = image.image()) {
            Medium ns = image.namespace(file);
            Btt btt = load(image, ns);
            JsonNode dumps = image.arenas();
            assertEquals(dumps.size(), btt.arenas().size());
            long bttStart = image.version().initialOffset();
            long capacity = 0;
            for (int i = 0; i < dumps.size(); i++) {
                JsonNode j = dumps.get(i);
                DiscoveredArena arena = btt.arenas().get(i);
                long start = bttStart + arena.geometry().start();
                assertEquals(j.get("file_offset").asLong(), image.namespaceStart() + start, "arena " + i);
                byte[] primary = read(ns, start);
                byte[] backup = read(ns, start + arena.geometry().info2Off());
                assertEquals(j.get("backup_matches_primary").asBoolean(), Arrays.equals(primary, backup));
                for (byte[] block : List.of(primary, backup)) {
                    InfoBlock info = InfoBlock.decode(block);
                    assertTrue(Arrays.equals(InfoBlock.SIGNATURE, Arrays.copyOf(block, 16)));
                    assertEquals(j.get("signature").asText(), new String(block, 0, 14,
                            java.nio.charset.StandardCharsets.US_ASCII));
                    assertEquals(UUID.fromString(j.get("uuid").asText()), info.uuid());
                    assertEquals(UUID.fromString(j.get("parent_uuid").asText()), info.parentUuid());
                    assertEquals(j.get("flags").asLong(), info.flags());
                    assertEquals(j.get("version_major").asInt(), info.versionMajor());
                    assertEquals(j.get("version_minor").asInt(), info.versionMinor());
                    assertEquals(j.get("external_lbasize").asLong(), info.externalLbaSize());
                    assertEquals(j.get("external_nlba").asLong(), info.externalNlba());
                    assertEquals(j.get("internal_lbasize").asLong(), info.internalLbaSize());
                    assertEquals(j.get("internal_nlba").asLong(), info.internalNlba());
                    assertEquals(j.get("nfree").asLong(), info.nfree());
                    assertEquals(j.get("infosize").asLong(), info.infoSize());
                    assertEquals(j.get("nextoff").asLong(), info.nextOff());
                    assertEquals(j.get("dataoff").asLong(), info.dataOff());
                    assertEquals(j.get("mapoff").asLong(), info.mapOff());
                    assertEquals(j.get("logoff").asLong(), info.logOff());
                    assertEquals(j.get("info2off").asLong(), info.info2Off());
                    assertEquals(j.get("checksum").bigIntegerValue().longValue(), info.checksum());
                    assertEquals(info.checksum(), BttChecksum.of(block));
                    assertEquals(j.get("padding_all_zero").asBoolean(), InfoBlock.paddingIsZero(block));
                    assertArrayEquals(block, info.toBytes(), "re-encoding gives the kernel's bytes");
                }
                assertEquals(InfoBlock.decode(primary), btt.infoBlocks().get(i));
                assertEquals(j.get("arena_size").asLong(), arena.geometry().size());
                capacity += j.get("external_nlba").asLong();
            }
            assertEquals(capacity, btt.sectors());
            assertEquals(image.sectorSize(), btt.sectorSize());
            assertEquals(SectorSizes.dataBytes(image.sectorSize()), btt.dataBytes());
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void sectorsWrittenHereReadBackAfterAReloadAndTheOthersStayTheKernels(KernelImage image) {
        try (Medium file = image.image()) {
            Medium ns = image.namespace(file);
            Btt btt = load(image, ns);
            Map<Long, String> hashes = image.sectorHashes();
            List<Long> listed = new ArrayList<>(hashes.keySet());
            long last = btt.sectors() - 1;
            // listed ones (first, middle, last listed), unlisted ones (never written by the guest), the last
            // LBA, and one written twice
            long[] lbas = {listed.getFirst(), listed.get(listed.size() / 2), listed.getLast(), last, last / 2,
                listed.get(1), listed.get(1)};
            Map<Long, byte[]> written = new LinkedHashMap<>();
            for (int i = 0; i < lbas.length; i++) {
                byte[] data = KbttPattern.sector(1000 + i, lbas[i], btt.sectorSize());
                btt.write(lbas[i], MemorySegment.ofArray(data));
                written.put(lbas[i], data);
            }
            assertEquals(List.of(), btt.consistencyProblems());
            btt.close();

            Btt again = load(image, ns);
            assertEquals(0, again.recoveryStores());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                byte[] got = new byte[again.sectorSize()];
                again.read(e.getKey(), MemorySegment.ofArray(got));
                assertArrayEquals(e.getValue(), got, image + " LBA " + e.getKey());
            }
            for (Map.Entry<Long, String> e : hashes.entrySet()) {
                if (!written.containsKey(e.getKey())) {
                    assertEquals(e.getValue(), dataHash(again, e.getKey()), image + " untouched LBA " + e.getKey());
                }
            }
            assertEquals(List.of(), again.consistencyProblems());
        }
    }

    static KernelImage[] roundTrips() {
        return Arrays.stream(KernelImage.all()).filter(i -> i.name().startsWith("ours-roundtrip-"))
                .toArray(KernelImage[]::new);
    }

    /**
     * The round trips (engine format and writes, then the guest's): the sectors the guest left alone still hold,
     * integrity bytes included, what the engine wrote ({@code KernelBoundImagesTest}: seed = sector size).
     */
    @ParameterizedTest
    @MethodSource("roundTrips")
    void theEnginesSectorsSurviveTheKernelsWrites(KernelImage image) {
        try (Medium file = image.image()) {
            Btt btt = load(image, image.namespace(file));
            for (long lba = 16; lba < 40; lba++) {
                byte[] got = new byte[btt.sectorSize()];
                btt.read(lba, MemorySegment.ofArray(got));
                assertArrayEquals(KbttPattern.sector(btt.sectorSize(), lba, btt.sectorSize()), got, "LBA " + lba);
            }
        }
    }

    private static byte[] read(Medium medium, long offset) {
        byte[] b = new byte[InfoBlock.SIZE];
        medium.read(offset, b);
        return b;
    }
}
