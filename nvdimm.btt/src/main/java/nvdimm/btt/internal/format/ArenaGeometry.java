package nvdimm.btt.internal.format;

import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Where one arena's parts lie. {@link #start()} is relative to the BTT's start (the namespace offset plus the
 * version's initial offset); the part offsets are relative to the arena's start, as the info block stores
 * them. The {@code ...Offset} methods give offsets relative to the BTT's start, the frame every access uses.
 *
 * @param start the arena's offset from the BTT's start
 * @param size the bytes the arena spans: its {@code nextoff}, or {@code info2off + 4096} for the last arena (a
 *     rest under a page after it belongs to no arena)
 * @param externalLbaSize the exposed sector size
 * @param internalLbaSize the data block size
 * @param externalNlba sectors exposed ({@code internalNlba - nfree})
 * @param internalNlba data blocks
 * @param nfree spare blocks, and log lanes
 * @param nextOff the next arena's offset from this one's start, 0 for the last
 * @param dataOff data blocks, from the arena's start
 * @param mapOff the map, from the arena's start
 * @param logOff the flog, from the arena's start
 * @param info2Off the backup info block, from the arena's start
 */
public record ArenaGeometry(long start, long size, int externalLbaSize, int internalLbaSize, long externalNlba,
        long internalNlba, int nfree, long nextOff, long dataOff, long mapOff, long logOff, long info2Off) {

    /** Linux's page of BTT metadata ({@code BTT_PG_SIZE}). */
    public static final int PAGE = 4096;
    /** Spare blocks and log lanes per arena ({@code BTT_DEFAULT_NFREE}, {@code ND_MAX_LANES}). */
    public static final int DEFAULT_NFREE = 256;
    /** Bytes of a map entry. */
    public static final int MAP_ENTRY_SIZE = 4;
    /** Bytes of a lane's log group. */
    public static final int LOG_GROUP_SIZE = 64;
    /** Largest arena ({@code ARENA_MAX_SIZE}, 512 GiB). */
    public static final long ARENA_MAX = 1L << 39;
    /** Smallest arena ({@code ARENA_MIN_SIZE}, 16 MiB); a smaller tail is left unused. */
    public static final long ARENA_MIN = 1L << 24;
    /** Largest block number a map entry can hold (30 bits). */
    public static final long MAX_BLOCKS = 1L << 30;

    /**
     * Lays out a new arena of {@code size} bytes as Linux's {@code alloc_arena} does: two info pages and the
     * log off the 4 KiB-rounded size, the rest split between data and map with a page of slack, info2 in the
     * arena's last page.
     *
     * @param start the arena's offset from the BTT's start
     * @param size its size, at least {@link #ARENA_MIN}
     * @param lbasize a supported external sector size
     * @param nextOff what the info block's {@code nextoff} says: {@code size}, or 0 for the last arena
     */
    public static ArenaGeometry layout(long start, long size, int lbasize, long nextOff) {
        SectorSizes.require("BTT arena", lbasize);
        if (size < ARENA_MIN || size > ARENA_MAX) {
            throw new NvdimmException(Errno.EINVAL, "BTT arena: size " + size + " is outside " + ARENA_MIN + " .. "
                    + ARENA_MAX);
        }
        int internalLbaSize = SectorSizes.internalLbaSize(lbasize);
        long available = size - size % PAGE - 2L * PAGE;
        long logSize = logSize(DEFAULT_NFREE);
        available -= logSize;
        long internalNlba = (available - PAGE) / (internalLbaSize + MAP_ENTRY_SIZE);
        long externalNlba = internalNlba - DEFAULT_NFREE;
        long mapSize = roundUp(externalNlba * MAP_ENTRY_SIZE, PAGE);
        long dataSize = available - mapSize;
        long dataOff = PAGE;
        long mapOff = dataOff + dataSize;
        long logOff = mapOff + mapSize;
        long info2Off = logOff + logSize;
        // the last arena spans to the end of info2, as discovery will find it; a sub-page rest stays unused
        long span = nextOff != 0 ? size : info2Off + PAGE;
        return new ArenaGeometry(start, span, lbasize, internalLbaSize, externalNlba, internalNlba, DEFAULT_NFREE,
                nextOff, dataOff, mapOff, logOff, info2Off);
    }

    /**
     * The geometry an accepted info block describes ({@code parse_arena_meta}), refused when it does not fit
     * the space or would send an access outside its own parts: Linux trusts these fields, this stack refuses
     * them instead of reading or writing elsewhere.
     *
     * @param info a valid info block
     * @param start where it lies, from the BTT's start
     * @param rawSize bytes from the BTT's start to the namespace's end
     * @param name the BTT's name for messages
     * @throws NvdimmException ENODEV naming the arena and the field that does not fit
     */
    public static ArenaGeometry of(InfoBlock info, long start, long rawSize, String name) {
        String arena = name + ": arena at " + start;
        long left = rawSize - start;
        if (!SectorSizes.isSupported(info.externalLbaSize())) {
            throw corrupt(arena, "external_lbasize " + info.externalLbaSize() + " is not a supported sector size");
        }
        if (info.internalLbaSize() < info.externalLbaSize() || info.internalLbaSize() > 1 << 16) {
            throw corrupt(arena, "internal_lbasize " + info.internalLbaSize() + " cannot hold external_lbasize "
                    + info.externalLbaSize());
        }
        if (info.nfree() < 1 || info.nfree() > DEFAULT_NFREE) {
            throw corrupt(arena, "nfree " + info.nfree() + " is outside 1 .. " + DEFAULT_NFREE);
        }
        if (info.internalNlba() > MAX_BLOCKS || info.externalNlba() > info.internalNlba()) {
            throw corrupt(arena, "external_nlba " + info.externalNlba() + " / internal_nlba " + info.internalNlba()
                    + " are out of range");
        }
        if (left < 2L * PAGE || Long.compareUnsigned(info.info2Off(), left - PAGE) > 0) {
            throw corrupt(arena, "info2off " + Long.toUnsignedString(info.info2Off()) + " lies beyond the " + left
                    + " bytes left");
        }
        long size = info.nextOff() != 0 ? info.nextOff() : info.info2Off() + PAGE;
        if (Long.compareUnsigned(size, left) > 0 || size < info.info2Off() + PAGE) {
            throw corrupt(arena, "nextoff " + Long.toUnsignedString(info.nextOff()) + " does not fit the " + left
                    + " bytes left after info2off " + info.info2Off());
        }
        requireWithin(arena, "logoff", info.logOff(), info.nfree() * LOG_GROUP_SIZE, PAGE, info.info2Off());
        requireWithin(arena, "mapoff", info.mapOff(), info.externalNlba() * MAP_ENTRY_SIZE, PAGE, info.logOff());
        requireWithin(arena, "dataoff", info.dataOff(), info.internalNlba() * info.internalLbaSize(), PAGE,
                info.mapOff());
        if (info.mapOff() % MAP_ENTRY_SIZE != 0 || info.logOff() % 8 != 0 || info.nextOff() % 8 != 0) {
            throw corrupt(arena, "mapoff " + info.mapOff() + ", logoff " + info.logOff() + " or nextoff "
                    + info.nextOff() + " is misaligned");
        }
        return new ArenaGeometry(start, size, (int) info.externalLbaSize(), (int) info.internalLbaSize(),
                info.externalNlba(), info.internalNlba(), (int) info.nfree(), info.nextOff(), info.dataOff(),
                info.mapOff(), info.logOff(), info.info2Off());
    }

    private static void requireWithin(String arena, String field, long off, long length, long min, long end) {
        if (Long.compareUnsigned(off, min) < 0 || Long.compareUnsigned(off, end) > 0 || length > end - off) {
            throw corrupt(arena, field + " " + Long.toUnsignedString(off) + " with " + length + " bytes does not fit between " + min
                    + " and " + end);
        }
    }

    private static NvdimmException corrupt(String arena, String problem) {
        return new NvdimmException(Errno.ENODEV, arena + ": corrupted metadata: " + problem);
    }

    /** The info block this geometry is written with ({@code btt_arena_write_layout}): flags 0, sealed. */
    public InfoBlock infoBlock(BttVersion version, UUID uuid, UUID parentUuid) {
        Objects.requireNonNull(version, "version");
        return new InfoBlock(uuid, parentUuid, 0, version.major(), version.minor(), externalLbaSize, externalNlba,
                internalLbaSize, internalNlba, nfree, InfoBlock.SIZE, nextOff, dataOff, mapOff, logOff, info2Off, 0)
                .sealed();
    }

    /** The offset of the map entry of {@code premap}, from the BTT's start. */
    public long mapEntryOffset(long premap) {
        return start + mapOff + premap * MAP_ENTRY_SIZE;
    }

    /** The offset of data block {@code block}, from the BTT's start. */
    public long dataBlockOffset(long block) {
        return start + dataOff + block * internalLbaSize;
    }

    /** The offset of a lane's 64-byte log group, from the BTT's start. */
    public long logGroupOffset(int lane) {
        return start + logOff + (long) lane * LOG_GROUP_SIZE;
    }

    /** The primary info block's offset, from the BTT's start. */
    public long infoOffset() {
        return start;
    }

    /** The backup info block's offset, from the BTT's start. */
    public long info2Offset() {
        return start + info2Off;
    }

    /** Bytes of the map area ({@code logoff - mapoff}). */
    public long mapSize() {
        return logOff - mapOff;
    }

    /** Bytes of the log area ({@code info2off - logoff}). */
    public long logSize() {
        return info2Off - logOff;
    }

    /** Bytes of the log of {@code nfree} lanes, rounded up to a page. */
    static long logSize(int nfree) {
        return roundUp((long) nfree * LOG_GROUP_SIZE, PAGE);
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
