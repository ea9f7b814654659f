package nvdimm.btt.internal.check;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.Finding;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.ArenaValidity;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;

/**
 * Finds the first arena's primary info block as ndctl does ({@code btt_recover_first_sb}): at 4096 (BTT v1.1),
 * then at 0 (v2.0); if neither verifies, for each of those starts in turn, three attempts to rebuild it from a
 * backup, the first that verifies being written to the primary place.
 *
 * <ol>
 * <li>The backup at the expected end of arena 0.</li>
 * <li>For several arenas, the last arena's backup with arena 0's own fields taken from the damaged primary.</li>
 * <li>The backup at the damaged primary's {@code info2off}. ndctl reads that 64-bit field through a 32-bit
 * conversion; it is read whole here, and a note says where ndctl would have looked elsewhere.</li>
 * </ol>
 */
final class InfoRecovery {
    /** Offsets of the fields attempt 2 copies from the damaged primary (flags .. nlba, nextoff .. info2off). */
    private static final int FLAGS = 48;
    private static final int EXTERNAL_NLBA = 60;
    private static final int INTERNAL_NLBA = 68;
    private static final int NEXTOFF = 80;
    private static final int INFO2OFF = 112;

    private InfoRecovery() {
    }

    /** A verified first info block and the version its place implies. */
    record Found(BttVersion version, byte[] block) {
    }

    /** The version whose initial offset is {@code start}. */
    static BttVersion versionAt(long start) {
        return start == BttVersion.V1_1.initialOffset() ? BttVersion.V1_1 : BttVersion.V2_0;
    }

    /** Step 1: a primary that verifies as it is, at 4096 then 0. */
    static Optional<Found> primary(CheckMedia media, Optional<UUID> nsUuid) {
        for (BttVersion v : List.of(BttVersion.V1_1, BttVersion.V2_0)) {
            long at = v.initialOffset();
            if (media.size() < at + InfoBlock.SIZE) {
                continue;
            }
            byte[] block = media.read(at, InfoBlock.SIZE);
            if (ArenaValidity.of(block, nsUuid) == ArenaValidity.VALID) {
                return Optional.of(new Found(v, block));
            }
        }
        return Optional.empty();
    }

    /** Step 2: the three attempts per start; a found block is written (or recorded) at the primary place. */
    static Optional<Found> recover(CheckMedia media, Optional<UUID> nsUuid, List<Finding> findings) {
        for (BttVersion v : List.of(BttVersion.V1_1, BttVersion.V2_0)) {
            long start = v.initialOffset();
            long rawSize = media.size() - start;
            if (rawSize < ArenaGeometry.ARENA_MIN) {
                continue;
            }
            long arenas = arenaCount(rawSize);
            byte[] damaged = media.read(start, InfoBlock.SIZE);
            // attempt 1: arena 0's backup where arena 0 must end
            long backup = arenas == 1 ? lastInfo2(rawSize, 0) : ArenaGeometry.ARENA_MAX - InfoBlock.SIZE;
            Optional<Found> found = attempt(media, nsUuid, v, start + backup, null, findings,
                    "the backup info block of arena 0 at offset " + (start + backup));
            if (found.isEmpty() && arenas > 1) {
                // attempt 2: the last arena's backup, with arena 0's own fields from the damaged primary
                long last = (arenas - 1) * ArenaGeometry.ARENA_MAX;
                long at = start + last + lastInfo2(rawSize - last, 0);
                found = attempt(media, nsUuid, v, at, damaged, findings,
                        "the last arena's backup info block at offset " + at + " with arena 0's fields");
            }
            if (found.isEmpty()) {
                found = attemptInfo2Off(media, nsUuid, v, start, rawSize, damaged, findings);
            }
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Attempt 3: the damaged primary's own {@code info2off}, bounds-checked. */
    private static Optional<Found> attemptInfo2Off(CheckMedia media, Optional<UUID> nsUuid, BttVersion v, long start,
            long rawSize, byte[] damaged, List<Finding> findings) {
        long info2off = le64(damaged, INFO2OFF);
        long ndctlView = info2off & 0xffffffffL;
        if (ndctlView != info2off) {
            findings.add(new Finding(Finding.Check.INFO, 0, -1, -1, start, "the damaged primary's info2off "
                    + Long.toUnsignedString(info2off) + " has high bits that ndctl's 32-bit read drops: ndctl would"
                    + " look at offset " + (start + ndctlView) + " instead", Finding.Status.NOTE));
        }
        if (Long.compareUnsigned(info2off, rawSize - InfoBlock.SIZE) > 0
                || Long.compareUnsigned(info2off, ArenaGeometry.ARENA_MAX - InfoBlock.SIZE) > 0
                || info2off % 8 != 0) {
            return Optional.empty();
        }
        return attempt(media, nsUuid, v, start + info2off, null, findings,
                "the backup info block at the damaged primary's info2off " + info2off);
    }

    private static Optional<Found> attempt(CheckMedia media, Optional<UUID> nsUuid, BttVersion v, long at,
            byte[] arena0Fields, List<Finding> findings, String what) {
        if (at < 0 || at > media.size() - InfoBlock.SIZE) {
            return Optional.empty();
        }
        byte[] block = media.read(at, InfoBlock.SIZE);
        if (arena0Fields != null) {
            copy(arena0Fields, block, FLAGS, 4);
            copy(arena0Fields, block, EXTERNAL_NLBA, 4);
            copy(arena0Fields, block, INTERNAL_NLBA, 4);
            copy(arena0Fields, block, NEXTOFF, INFO2OFF + 8 - NEXTOFF);
            copy(arena0Fields, block, InfoBlock.CHECKSUM_OFFSET, 8);
        }
        if (ArenaValidity.of(block, nsUuid) != ArenaValidity.VALID || !v.matches(InfoBlock.decode(block))) {
            return Optional.empty();
        }
        long primary = v.initialOffset();
        media.write(primary, block);
        findings.add(new Finding(Finding.Check.INFO, 0, -1, -1, primary, "the first info block at offset " + primary
                + " is invalid; rebuilt from " + what, media.repair() ? Finding.Status.REPAIRED
                        : Finding.Status.NEEDS_REPAIR));
        return Optional.of(new Found(v, block));
    }

    /** Arenas ndctl expects: full 512 GiB arenas plus a last one of at least 16 MiB. */
    static long arenaCount(long rawSize) {
        long full = rawSize / ArenaGeometry.ARENA_MAX;
        long tail = rawSize % ArenaGeometry.ARENA_MAX;
        return Math.max(1, full + (tail >= ArenaGeometry.ARENA_MIN ? 1 : 0));
    }

    /**
     * Where the backup of an arena lies within it: its last 4 KiB, the arena being what is left from
     * {@code arenaStart} (at most 512 GiB).
     */
    static long lastInfo2(long left, long arenaStart) {
        long size = Math.min(left, ArenaGeometry.ARENA_MAX);
        return arenaStart + size - size % ArenaGeometry.PAGE - InfoBlock.SIZE;
    }

    /** Whether a block verifies, without the version check: for arenas after the first. */
    static boolean verifies(byte[] block, Optional<UUID> nsUuid) {
        return ArenaValidity.of(block, nsUuid) == ArenaValidity.VALID;
    }

    private static void copy(byte[] from, byte[] to, int at, int length) {
        System.arraycopy(from, at, to, at, length);
    }

    static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
