package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * The format layer against images Linux 6.1 made (label-less v1.1/512, labeled v1.1/512, labeled v1.2
 * v2.0/4096): probe, info block fields, discovery, free lists, sector-exact reads through the map, and a fresh
 * layout written here equal to the kernel's metadata wherever the kernel's writes did not change it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxImageTest {

    private final Map<LinuxImage, Medium> media = new java.util.HashMap<>();

    @BeforeAll
    void decompress() {
        for (LinuxImage image : LinuxImage.all()) {
            media.put(image, image.medium());
        }
    }

    @AfterAll
    void close() {
        media.values().forEach(Medium::close);
    }

    static LinuxImage[] images() {
        return LinuxImage.all();
    }

    private Discovery.Found discover(LinuxImage image) {
        return assertInstanceOf(Discovery.Found.class, ArenaDiscovery.discover(media.get(image), image.bttStart(),
                image.rawSize(), image.namespaceUuid(), image.name()));
    }

    @ParameterizedTest
    @MethodSource("images")
    void probeFindsTheVersionLinuxChose(LinuxImage image) {
        BttProbe.Probed probed = BttProbe.probe(media.get(image), image.namespaceStart(), image.namespaceSize(),
                image.claimClass(), image.namespaceUuid()).orElseThrow();
        assertEquals(image.version(), probed.version());
        assertEquals(image.sectorSize(), probed.info().externalLbaSize());
    }

    @ParameterizedTest
    @MethodSource("images")
    void infoBlockDecodesToTheKernelsFields(LinuxImage image) {
        JsonNode j = image.arenaJson();
        byte[] block = new byte[InfoBlock.SIZE];
        media.get(image).read(image.bttStart(), block);
        assertEquals(ArenaValidity.VALID, ArenaValidity.of(block, image.namespaceUuid()));
        InfoBlock info = InfoBlock.decode(block);
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
        assertFalse(info.errorFlag());
        assertTrue(InfoBlock.paddingIsZero(block));
        assertArrayEquals(block, info.toBytes(), "re-encoding gives the kernel's bytes");
        byte[] backup = new byte[InfoBlock.SIZE];
        media.get(image).read(image.bttStart() + info.info2Off(), backup);
        assertArrayEquals(block, backup, "info2 is the primary block");
    }

    @ParameterizedTest
    @MethodSource("images")
    void discoveryFindsOneArenaWithTheKernelFormulasGeometry(LinuxImage image) {
        Discovery.Found found = discover(image);
        assertEquals(1, found.arenas().size());
        DiscoveredArena arena = found.arenas().getFirst();
        ArenaGeometry planned = BttLayout.plan(image.rawSize(), image.sectorSize()).arenas().getFirst();
        assertEquals(planned, arena.geometry());
        assertEquals(image.arenaJson().get("arena_size").asLong(), arena.geometry().size());
        assertEquals(LogIndices.CURRENT, arena.logIndices());
        assertFalse(arena.readOnly());
    }

    @ParameterizedTest
    @MethodSource("images")
    void freeListsNeedNoRecoveryAndMatchTheLog(LinuxImage image) {
        DiscoveredArena arena = discover(image).arenas().getFirst();
        List<LaneRecovery> lanes = FreeListRecovery.arena(media.get(image), image.bttStart(), arena);
        assertEquals(256, lanes.size());
        long ext = arena.geometry().externalNlba();
        for (LaneRecovery lane : lanes) {
            assertTrue(lane.rollForward().isEmpty(), "lane " + lane.free().lane() + " is clean");
            assertFalse(lane.clearBlock());
        }
        JsonNode lane0 = image.json().get("log_head").get(0).get("slots[lba,old_map,new_map,seq]");
        int newer = lane0.get(0).get(3).asInt() == LogSeq.next(lane0.get(1).get(3).asInt()) ? 0 : 1;
        assertEquals(lane0.get(newer).get(1).asLong(), lanes.getFirst().free().block());
        assertEquals(1 - newer, lanes.getFirst().free().sub());
        assertEquals(LogSeq.next(lane0.get(newer).get(3).asInt()), lanes.getFirst().free().seq());
        for (int lane = 1; lane < 256; lane++) {
            if (arena.logGroups().get(lane).slot(1).isPadding()) {
                assertEquals(new FreeLane(lane, ext + lane, 1, 2, false), lanes.get(lane).free());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void everyInternalBlockIsMappedOrFreeExactlyOnce(LinuxImage image) {
        DiscoveredArena arena = discover(image).arenas().getFirst();
        ArenaGeometry g = arena.geometry();
        Medium medium = media.get(image);
        int[] refs = new int[(int) g.internalNlba()];
        for (long premap = 0; premap < g.externalNlba(); premap++) {
            refs[(int) MapEntry.postMap(medium.readInt(image.bttStart() + g.mapEntryOffset(premap)), premap)]++;
        }
        for (LaneRecovery lane : FreeListRecovery.arena(medium, image.bttStart(), arena)) {
            refs[(int) lane.free().block()]++;
        }
        for (int block = 0; block < refs.length; block++) {
            assertEquals(1, refs[block], "block " + block);
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void mapHeadMatchesTheDump(LinuxImage image) {
        DiscoveredArena arena = discover(image).arenas().getFirst();
        for (JsonNode e : image.json().get("map_head")) {
            long premap = e.get("premap_lba").asLong();
            int raw = media.get(image).readInt(image.bttStart() + arena.geometry().mapEntryOffset(premap));
            assertEquals(Long.decode(e.get("raw").asText()).intValue(), raw);
            assertEquals(MapEntry.State.NORMAL, MapEntry.state(raw));
            assertEquals(e.get("postmap_lba").asLong(), MapEntry.postMap(raw, premap));
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void everyListedSectorReadsThroughTheMapWithTheKernelsHash(LinuxImage image) throws NoSuchAlgorithmException {
        Discovery.Found found = discover(image);
        List<ArenaGeometry> arenas = found.arenas().stream().map(DiscoveredArena::geometry).toList();
        ArenaIndex index = new ArenaIndex(arenas);
        Medium medium = media.get(image);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] sector = new byte[image.sectorSize()];
        Map<Long, String> hashes = image.sectorHashes();
        assertTrue(hashes.size() >= 256, "the dump lists the written sectors");
        int written = 0;
        for (Map.Entry<Long, String> e : hashes.entrySet()) {
            long lba = e.getKey();
            int a = index.arenaOf(lba);
            ArenaGeometry g = arenas.get(a);
            long premap = index.premap(lba, a);
            int raw = medium.readInt(image.bttStart() + g.mapEntryOffset(premap));
            written += MapEntry.state(raw) == MapEntry.State.NORMAL ? 1 : 0;
            medium.read(image.bttStart() + g.dataBlockOffset(MapEntry.postMap(raw, premap)), sector);
            assertEquals(e.getValue(), HexFormat.of().formatHex(sha.digest(sector)), "lba " + lba);
        }
        assertTrue(written >= 256, written + " written sectors read through normal map entries");
    }

    @ParameterizedTest
    @MethodSource("images")
    void aFreshLayoutEqualsTheKernelsMetadataWhereItsWritesDidNotReach(LinuxImage image) {
        Medium kernel = media.get(image);
        InfoBlock kernelInfo = discover(image).arenas().getFirst().info();
        BttLayout layout = BttLayout.plan(image.rawSize(), image.sectorSize());
        ArenaGeometry g = layout.arenas().getFirst();
        try (Medium mine = Media.memory("fresh", kernel.size())) {
            FreshLayout.write(mine, image.bttStart(), layout, image.version(), kernelInfo.uuid(),
                    image.namespaceUuid().orElse(InfoBlock.NIL_UUID));
            assertArrayEquals(read(kernel, image.bttStart(), InfoBlock.SIZE), read(mine, image.bttStart(),
                    InfoBlock.SIZE), "primary info block");
            assertArrayEquals(read(kernel, image.bttStart() + g.info2Off(), InfoBlock.SIZE),
                    read(mine, image.bttStart() + g.info2Off(), InfoBlock.SIZE), "info2");
            int changedEntries = 0;
            for (long premap = 0; premap < g.externalNlba(); premap++) {
                int k = kernel.readInt(image.bttStart() + g.mapEntryOffset(premap));
                assertEquals(0, mine.readInt(image.bttStart() + g.mapEntryOffset(premap)));
                if (k != 0) {
                    assertEquals(MapEntry.State.NORMAL, MapEntry.state(k), "a written entry, lba " + premap);
                    changedEntries++;
                }
            }
            assertTrue(changedEntries >= 256 && changedEntries <= image.sectorHashes().size() + 8,
                    changedEntries + " map entries written");
            assertArrayEquals(read(kernel, image.bttStart() + g.mapOff() + g.externalNlba() * 4,
                    (int) (g.mapSize() - g.externalNlba() * 4)), read(mine, image.bttStart() + g.mapOff()
                    + g.externalNlba() * 4, (int) (g.mapSize() - g.externalNlba() * 4)), "map slack");
            List<Integer> usedLanes = new ArrayList<>();
            for (int lane = 0; lane < 256; lane++) {
                byte[] k = read(kernel, image.bttStart() + g.logGroupOffset(lane), LogGroup.SIZE);
                byte[] m = read(mine, image.bttStart() + g.logGroupOffset(lane), LogGroup.SIZE);
                assertArrayEquals(LogGroup.fresh(lane, g.externalNlba()).toBytes(), m, "fresh lane " + lane);
                if (!java.util.Arrays.equals(k, m)) {
                    usedLanes.add(lane);
                    assertFalse(LogGroup.decode(k, 0).slot(1).isPadding(), "lane " + lane + " was written");
                }
            }
            assertTrue(usedLanes.contains(0) && usedLanes.size() <= 2, "lanes written by the guest: " + usedLanes);
            assertArrayEquals(read(kernel, image.bttStart() + g.logOff() + 256 * 64, (int) (g.logSize() - 256 * 64)),
                    read(mine, image.bttStart() + g.logOff() + 256 * 64, (int) (g.logSize() - 256 * 64)),
                    "log slack");
        }
    }

    private static byte[] read(Medium medium, long offset, int length) {
        byte[] b = new byte[length];
        medium.read(offset, b);
        return b;
    }
}
