package nvdimm.btt.internal.format;

import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.Medium;

/**
 * Writes a new BTT's metadata as Linux's {@code btt_meta_init} does, arena by arena: the map zeroed (every LBA
 * in the identity state), the log zeroed and each lane's slot 0 seeded as {@code {lane, external_nlba + lane,
 * external_nlba + lane, 1}} (the spare blocks are the last {@code nfree}), then the info block at info2 and
 * last the primary one. The data area is not touched. Every step is persisted before the next, so a crash
 * leaves at worst an arena without a valid primary info block, which reads as no BTT.
 */
public final class FreshLayout {

    /** Bytes zeroed per store of the map (Linux zeroes it in 2 MiB chunks). */
    static final int MAP_CHUNK = 2 << 20;
    /** Bytes zeroed per store of the log (Linux zeroes it in 4 KiB chunks). */
    static final int LOG_CHUNK = 4096;

    private FreshLayout() {
    }

    /**
     * Writes the layout.
     *
     * @param medium the medium the namespace lies on
     * @param bttStart where the BTT starts on it (the namespace's offset plus {@code version}'s initial
     *     offset), 8-byte aligned
     * @param layout the arenas ({@link BttLayout#plan})
     * @param version the version written into the info blocks
     * @param uuid the BTT's uuid
     * @param parentUuid the namespace's uuid, or the nil uuid for a label-less namespace
     * @throws nvdimm.bus.NvdimmException the medium's errno when a write fails; what was written stays
     */
    public static void write(Medium medium, long bttStart, BttLayout layout, BttVersion version, UUID uuid,
            UUID parentUuid) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(parentUuid, "parentUuid");
        byte[] zeros = new byte[(int) Math.min(MAP_CHUNK, maxMapSize(layout))];
        for (ArenaGeometry arena : layout.arenas()) {
            zero(medium, bttStart + arena.start() + arena.mapOff(), arena.mapSize(), zeros, MAP_CHUNK);
            zero(medium, bttStart + arena.start() + arena.logOff(), arena.logSize(), zeros, LOG_CHUNK);
            for (int lane = 0; lane < arena.nfree(); lane++) {
                int spare = (int) (arena.externalNlba() + lane);
                LogWriter.writeSlot(medium, bttStart + arena.logGroupOffset(lane), lane, spare, spare, 1);
            }
            byte[] info = arena.infoBlock(version, uuid, parentUuid).toBytes();
            writePersisted(medium, bttStart + arena.info2Offset(), info);
            writePersisted(medium, bttStart + arena.infoOffset(), info);
        }
    }

    private static long maxMapSize(BttLayout layout) {
        long max = LOG_CHUNK;
        for (ArenaGeometry arena : layout.arenas()) {
            max = Math.max(max, arena.mapSize());
        }
        return max;
    }

    private static void zero(Medium medium, long offset, long length, byte[] zeros, int chunk) {
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(Math.min(chunk, zeros.length), length - done);
            medium.write(offset + done, zeros, 0, n);
            medium.persist(offset + done, n);
            done += n;
        }
    }

    private static void writePersisted(Medium medium, long offset, byte[] bytes) {
        medium.write(offset, bytes);
        medium.persist(offset, bytes.length);
    }
}
