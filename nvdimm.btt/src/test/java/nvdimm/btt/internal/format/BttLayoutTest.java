package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** {@link BttLayout} and {@link ArenaGeometry#layout}: Linux's {@code create_arenas} and {@code alloc_arena}. */
class BttLayoutTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** The worked examples of the formats spec §1.3 (namespace size, sector size, initial offset). */
    @ParameterizedTest
    @CsvSource({
        // namespace, lbasize, initial offset, internal_nlba, external_nlba, mapoff, logoff, info2off
        "18874368,    512,  0,    36522,  36266,  0x11d7000,  0x11fb000,  0x11ff000",
        "67108864,    4096, 0,    0x3fe9, 0x3ee9, 0x3feb000,  0x3ffb000,  0x3fff000",
        "18874368,    4096, 4096, 4595,   4339,   0x11f5000,  0x11fa000,  0x11fe000",
        "1073741824,  4096, 4096, 261880, 261624, 0x3fefa000, 0x3fffa000, 0x3fffe000",
        // the kernel-made images (tools/kernel-btt README)
        "67108864,    512,  4096, 129992, 129736, 66564096,   67084288,   67100672",
        "67108864,    4096, 4096, 16360,  16104,  67018752,   67084288,   67100672",
        "50331648,    4096, 0,    12269,  12013,  50262016,   50311168,   50327552"})
    void oneArenaMatchesTheWorkedExamples(long namespace, int lbasize, long initialOffset, String internalNlba,
            String externalNlba, String mapOff, String logOff, String info2Off) {
        BttLayout layout = BttLayout.plan(namespace - initialOffset, lbasize);
        assertEquals(1, layout.arenas().size());
        ArenaGeometry a = layout.arenas().getFirst();
        assertEquals(Long.decode(internalNlba), a.internalNlba());
        assertEquals(Long.decode(externalNlba), a.externalNlba());
        assertEquals(4096, a.dataOff());
        assertEquals(Long.decode(mapOff), a.mapOff());
        assertEquals(Long.decode(logOff), a.logOff());
        assertEquals(Long.decode(info2Off), a.info2Off());
        assertEquals(0, a.nextOff());
        assertEquals(256, a.nfree());
    }

    /**
     * ndctl test/libndctl.c {@code check_btt_size}: 512-byte sectors at offset 0 (BTT2); 16 MiB from an ndctl
     * patch mail that moved the test's first namespace to 16 MiB.
     */
    @ParameterizedTest
    @CsvSource({"18, 0x11b5400", "20, 0x13b1400", "27, 0x1aa3600", "16, 0xfb9400"})
    void capacityMatchesNdctlsCheckBttSize(long mib, String capacity) {
        assertEquals(Long.decode(capacity), BttLayout.plan(mib * MIB, 512).capacity());
    }

    @ParameterizedTest
    @CsvSource({"512, 512, 512, 0", "520, 576, 512, 8", "528, 576, 512, 16", "4096, 4096, 4096, 0",
        "4104, 4160, 4096, 8", "4160, 4160, 4096, 64", "4224, 4224, 4096, 128"})
    void allSevenSectorSizes(int lbasize, int internal, int data, int integrity) {
        assertEquals(internal, SectorSizes.internalLbaSize(lbasize));
        assertEquals(data, SectorSizes.dataBytes(lbasize));
        assertEquals(integrity, SectorSizes.integrityBytes(lbasize));
        ArenaGeometry a = BttLayout.plan(64 * MIB - 4096, lbasize).arenas().getFirst();
        assertEquals(lbasize, a.externalLbaSize());
        assertEquals(internal, a.internalLbaSize());
        assertMaximalAndDisjoint(a);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 511, 513, 1024, 2048, 4097, 8192, -512})
    void unsupportedSectorSizesAreRefused(int lbasize) {
        NvdimmException e = assertThrows(NvdimmException.class, () -> BttLayout.plan(64 * MIB, lbasize));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains(Integer.toString(lbasize)), e.getMessage());
    }

    @Test
    void lessThan16MibIsRefusedWithEnxioAndExactly16MibIsOneArena() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> BttLayout.plan(16 * MIB - 1, 4096));
        assertEquals(Errno.ENXIO, e.errno());
        assertEquals(1, BttLayout.plan(16 * MIB, 4096).arenas().size());
    }

    @Test
    void a512GibArenaThenTheRestWhenAtLeast16Mib() {
        // 512 GiB + 64 MiB namespace, v1.1: the spec's example
        BttLayout layout = BttLayout.plan(512 * GIB + 64 * MIB - 4096, 4096);
        assertEquals(2, layout.arenas().size());
        ArenaGeometry a0 = layout.arenas().get(0);
        ArenaGeometry a1 = layout.arenas().get(1);
        assertEquals(134086776, a0.internalNlba());
        assertEquals(134086520, a0.externalNlba());
        assertEquals(1L << 39, a0.nextOff());
        assertEquals(1L << 39, a0.size());
        assertEquals(1L << 39, a1.start());
        assertEquals(0x3fff000, a1.size());
        assertEquals(16360, a1.internalNlba());
        assertEquals(16104, a1.externalNlba());
        assertEquals(0, a1.nextOff());
        assertEquals(134086520L + 16104, layout.externalNlba());
        assertEquals(0, layout.unusedTail());
        assertEquals(a0.size() - 4096, a0.info2Off());
    }

    @Test
    void aTailUnder16MibIsLeftUnusedAndTheArenaBeforeItIsLast() {
        BttLayout layout = BttLayout.plan(512 * GIB + 16 * MIB - 1, 512);
        assertEquals(1, layout.arenas().size());
        assertEquals(0, layout.arenas().getFirst().nextOff());
        assertEquals(16 * MIB - 1, layout.unusedTail());
        BttLayout three = BttLayout.plan(2 * 512 * GIB + 16 * MIB, 512);
        assertEquals(List.of(1L << 39, 1L << 39, 0L), three.arenas().stream().map(ArenaGeometry::nextOff).toList());
        assertEquals(16 * MIB, three.arenas().get(2).size());
        assertEquals(2L << 39, three.arenas().get(2).start());
    }

    @Test
    void theLastArenaSpansToTheEndOfInfo2AndARestUnderAPageIsUnused() {
        BttLayout layout = BttLayout.plan(64 * MIB - 100, 512);
        ArenaGeometry a = layout.arenas().getFirst();
        assertEquals(64 * MIB - 4096, a.size());
        assertEquals(a.size() - 4096, a.info2Off());
        assertEquals(4096 - 100, layout.unusedTail());
    }

    @Test
    void arenaIndexWalksTheArenasInOrder() {
        BttLayout layout = BttLayout.plan(2 * 512 * GIB + 16 * MIB, 4096);
        ArenaIndex index = new ArenaIndex(layout.arenas());
        long n0 = layout.arenas().get(0).externalNlba();
        long n1 = layout.arenas().get(1).externalNlba();
        assertEquals(layout.externalNlba(), index.externalNlba());
        assertEquals(0, index.arenaOf(0));
        assertEquals(0, index.arenaOf(n0 - 1));
        assertEquals(n0 - 1, index.premap(n0 - 1, 0));
        assertEquals(1, index.arenaOf(n0));
        assertEquals(0, index.premap(n0, 1));
        assertEquals(2, index.arenaOf(n0 + n1));
        assertEquals(n0 + n1, index.firstLba(2));
        assertEquals(2, index.arenaOf(layout.externalNlba() - 1));
        assertEquals(-1, index.arenaOf(layout.externalNlba()));
        assertEquals(-1, index.arenaOf(-1));
    }

    /** Random sizes and sector sizes: every arena's parts are disjoint, in order, and as large as they can be. */
    @Test
    void randomLayoutsKeepTheirInvariants() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            long raw = 16 * MIB + (random.nextLong() & ((1L << 41) - 1));
            int lbasize = SectorSizes.SUPPORTED.get(random.nextInt(SectorSizes.SUPPORTED.size()));
            BttLayout layout = BttLayout.plan(raw, lbasize);
            long at = 0;
            for (ArenaGeometry a : layout.arenas()) {
                assertEquals(at, a.start());
                assertMaximalAndDisjoint(a);
                at += a.size();
            }
            assertTrue(layout.unusedTail() >= 0 && layout.unusedTail() < 16 * MIB, "tail " + layout.unusedTail());
            assertEquals(raw / (1L << 39) + (raw % (1L << 39) >= 16 * MIB ? 1 : 0), layout.arenas().size());
        }
    }

    static void assertMaximalAndDisjoint(ArenaGeometry a) {
        long pageEnd = a.size() - a.size() % 4096;
        assertEquals(pageEnd - 4096, a.info2Off(), "info2 in the arena's last page");
        assertEquals(4096, a.dataOff());
        assertTrue(a.dataOff() + a.internalNlba() * a.internalLbaSize() <= a.mapOff(), "data fits before the map");
        assertTrue(a.mapOff() + a.externalNlba() * 4 <= a.logOff(), "map fits before the log");
        assertEquals(0, a.mapOff() % 4096);
        assertEquals(0, a.mapSize() % 4096);
        assertEquals(16384, a.logSize());
        assertEquals(a.internalNlba() - 256, a.externalNlba());
        long available = pageEnd - 2 * 4096 - 16384;
        assertTrue((a.internalNlba() + 1) * (a.internalLbaSize() + 4) > available - 4096, "no room for another block");
    }
}
