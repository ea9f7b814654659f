package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** {@code discover_arenas}: no BTT, its arenas, or corrupted metadata; garbage only ever fails cleanly. */
class ArenaDiscoveryTest {

    private static final long MIB = 1L << 20;
    private static final long BASE = 4096;
    private static final long RAW = 32 * MIB;

    private static Medium formatted(BttLayout layout, UUID parent) {
        Medium medium = Media.memory("ns", BASE + RAW);
        FreshLayout.write(medium, BASE, layout, BttVersion.V1_1, InfoBlockTest.BTT_UUID, parent);
        return medium;
    }

    private static Discovery discover(Medium medium, Optional<UUID> ns) {
        return ArenaDiscovery.discover(medium, BASE, RAW, ns, "btt0.0");
    }

    @Test
    void zeroedMediaHoldNoBtt() {
        try (Medium medium = Media.memory("ns", BASE + RAW)) {
            assertEquals(new Discovery.NotFound(ArenaValidity.BAD_SIGNATURE), discover(medium, Optional.empty()));
        }
    }

    /** Found by BttLoadFuzzTest (the empty input): a namespace ending before an info block fits gave no arena at all. */
    @Test
    void aNamespaceWithNoRoomForAnInfoBlockIsRefusedNotFoundWithoutArenas() {
        try (Medium medium = Media.memory("ns", BASE + RAW)) {
            for (long raw : new long[] {-BASE, 0, InfoBlock.SIZE - 8}) {
                NvdimmException e = assertThrows(NvdimmException.class,
                        () -> ArenaDiscovery.discover(medium, BASE, raw, Optional.empty(), "btt0.0"), "raw size " + raw);
                assertEquals(Errno.ENODEV, e.errno());
                assertEquals("btt0.0: no BTT: " + raw + " bytes from the BTT's start at " + BASE
                        + " to the namespace's end leave no room for an info block", e.detail());
            }
        }
    }

    @Test
    void anInvalidFirstBlockIsNoBttAnInvalidLaterOneIsCorruption() {
        try (Medium medium = formatted(FreshLayoutTest.twoArenas(512), InfoBlock.NIL_UUID)) {
            assertEquals(2, assertInstanceOf(Discovery.Found.class, discover(medium, Optional.empty())).arenas().size());
            medium.write(BASE + 16 * MIB + 200, new byte[] {1});
            NvdimmException e = assertThrows(NvdimmException.class, () -> discover(medium, Optional.empty()));
            assertEquals(Errno.ENODEV, e.errno());
            assertEquals("btt0.0 arena 1: found corrupted metadata: info block at 16777216: checksum mismatch",
                    e.detail());
            medium.write(BASE + 200, new byte[] {1});
            assertEquals(new Discovery.NotFound(ArenaValidity.BAD_CHECKSUM), discover(medium, Optional.empty()));
        }
    }

    @Test
    void aForeignParentIsNoBttOnThatNamespace() {
        try (Medium medium = formatted(BttLayout.plan(RAW, 4096), InfoBlockTest.NS_UUID)) {
            assertInstanceOf(Discovery.Found.class, discover(medium, Optional.of(InfoBlockTest.NS_UUID)));
            assertEquals(new Discovery.NotFound(ArenaValidity.FOREIGN_PARENT), discover(medium, Optional.empty()));
        }
    }

    @Test
    void theLastArenaEndsTheWalkEvenWithSpaceLeft() {
        try (Medium medium = formatted(BttLayout.plan(20 * MIB, 512), InfoBlock.NIL_UUID)) {
            assertEquals(1, assertInstanceOf(Discovery.Found.class, discover(medium, Optional.empty())).arenas().size());
        }
    }

    @Test
    void aMisalignedStartIsRefused() {
        try (Medium medium = Media.memory("ns", BASE + RAW)) {
            assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class,
                    () -> ArenaDiscovery.discover(medium, 4, RAW, Optional.empty(), "b")).errno());
        }
    }

    @Test
    void anUnknownLogLayoutFailsWithEnxio() {
        BttLayout layout = BttLayout.plan(RAW, 512);
        try (Medium medium = formatted(layout, InfoBlock.NIL_UUID)) {
            ArenaGeometry g = layout.arenas().getFirst();
            medium.writeLong(BASE + g.logGroupOffset(4) + 48, 1);
            NvdimmException e = assertThrows(NvdimmException.class, () -> discover(medium, Optional.empty()));
            assertEquals(Errno.ENXIO, e.errno());
            assertTrue(e.detail().contains("unknown padding scheme (0,3)"), e.detail());
        }
    }

    /**
     * Valid info blocks with random fields, and valid blocks over random logs: loading either succeeds or fails
     * with ENODEV, ENXIO or EIO, never anything else.
     */
    @Test
    void randomMetadataFailsOnlyWithNvdimmExceptions() {
        Random random = new Random(42);
        Set<Errno> seen = EnumSet.noneOf(Errno.class);
        int found = 0;
        try (Medium medium = Media.memory("ns", BASE + RAW)) {
            ArenaGeometry real = BttLayout.plan(RAW, 512).arenas().getFirst();
            for (int i = 0; i < 1500; i++) {
                InfoBlock info = i % 2 == 0 ? randomInfo(random, real) : real.infoBlock(BttVersion.V1_1,
                        InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);
                medium.write(BASE, info.sealed().toBytes());
                if (i % 2 == 1) {
                    byte[] log = new byte[256 * 64];
                    for (int lane = 0; lane < 256; lane++) {
                        LogGroup.fresh(lane, real.externalNlba()).toBytes();
                        System.arraycopy(LogGroup.fresh(lane, real.externalNlba()).toBytes(), 0, log, lane * 64, 64);
                    }
                    for (int k = random.nextInt(8); k >= 0; k--) {
                        log[random.nextInt(log.length)] = (byte) random.nextInt(4);
                    }
                    medium.write(BASE + real.logGroupOffset(0), log);
                }
                try {
                    if (discover(medium, Optional.empty()) instanceof Discovery.Found f) {
                        for (DiscoveredArena arena : f.arenas()) {
                            FreeListRecovery.arena(medium, BASE, arena);
                        }
                        found++;
                    }
                } catch (NvdimmException e) {
                    assertTrue(Set.of(Errno.ENODEV, Errno.ENXIO, Errno.EIO).contains(e.errno()), e.getMessage());
                    seen.add(e.errno());
                }
            }
        }
        assertTrue(found > 0 && seen.containsAll(Set.of(Errno.ENODEV, Errno.ENXIO, Errno.EIO)),
                "found " + found + ", failures " + seen);
    }

    private static InfoBlock randomInfo(Random r, ArenaGeometry real) {
        long[] f = {real.externalLbaSize(), real.externalNlba(), real.internalLbaSize(), real.internalNlba(),
            real.nfree(), real.nextOff(), real.dataOff(), real.mapOff(), real.logOff(), real.info2Off()};
        int field = r.nextInt(f.length);
        f[field] = switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt() & 0xffff_ffffL;
            case 2 -> f[field] + r.nextInt(9) - 4;
            default -> f[field] * 2;
        };
        return new InfoBlock(InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID, 0, 1, 1, f[0] & 0xffff_ffffL,
                f[1] & 0xffff_ffffL, f[2] & 0xffff_ffffL, f[3] & 0xffff_ffffL, f[4] & 0xffff_ffffL, 4096, f[5], f[6],
                f[7], f[8], f[9], 0);
    }
}
