package nvdimm.btt.internal.check;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogEntry;
import nvdimm.btt.internal.format.LogGroup;
import nvdimm.btt.internal.format.LogSeq;
import nvdimm.btt.internal.format.MapEntry;

/**
 * ndctl's per-arena checks ({@code btt_check_arenas}), in its order: log entries, map entries, log/map, info2,
 * bitmap; and {@code --rewrite-log}. The map is read in chunks, so a check's time grows linearly with the map.
 */
final class ArenaChecks {
    /** Map entries read per chunk. */
    private static final int CHUNK = 1 << 18;
    /** Findings of one kind reported individually per arena before they are summed up. */
    private static final int MAX_LISTED = 16;

    private final CheckMedia media;
    private final List<Finding> findings;
    private final Progress progress;
    private final int[] entries = new int[CHUNK];
    private final byte[] scratch = new byte[CHUNK * 4];

    ArenaChecks(CheckMedia media, List<Finding> findings, Progress progress) {
        this.media = media;
        this.findings = findings;
        this.progress = progress;
    }

    /** Runs the checks on one arena; false at damage no repair undoes (the checks stop there, as ndctl's). */
    boolean check(CheckedArena a) {
        return logEntries(a) && mapEntries(a) && logMap(a) && info2(a) && bitmap(a);
    }

    /** The newer of a lane's live slots, or null when their seqs say corruption. */
    private static LogEntry newer(CheckedArena a, int lane) {
        LogGroup g = a.groups().get(lane);
        LogEntry first = g.slot(a.indices().first());
        LogEntry second = g.slot(a.indices().second());
        int older = LogSeq.older(first.seq(), second.seq());
        return older < 0 ? null : older == 0 ? second : first;
    }

    /** {@code btt_check_log_entries}: seqs distinct and at most 3; the newer entry's LBA and blocks in bounds. */
    private boolean logEntries(CheckedArena a) {
        ArenaGeometry g = a.geometry();
        int bad = 0;
        for (int lane = 0; lane < g.nfree(); lane++) {
            LogGroup group = a.groups().get(lane);
            LogEntry s0 = group.slot(a.indices().first());
            LogEntry s1 = group.slot(a.indices().second());
            String problem = null;
            if (s0.seq() == s1.seq()) {
                problem = "found a pair of log entries with the same sequence number " + Integer.toUnsignedString(s0.seq());
            } else if (Integer.compareUnsigned(s0.seq(), 3) > 0 || Integer.compareUnsigned(s1.seq(), 3) > 0) {
                problem = "out of bounds sequence number [" + Integer.toUnsignedString(s0.seq()) + ", "
                        + Integer.toUnsignedString(s1.seq()) + "]";
            } else {
                LogEntry n = newer(a, lane);
                if (n == null) {
                    problem = "sequence numbers [" + s0.seq() + ", " + s1.seq() + "] name no newer entry";
                } else if (Integer.toUnsignedLong(n.lba()) >= g.externalNlba()) {
                    problem = "out of bounds LBA " + Integer.toUnsignedString(n.lba());
                } else if (MapEntry.block(n.oldMap()) >= g.internalNlba()) {
                    problem = "out of bounds 'old' mapping " + Integer.toUnsignedString(n.oldMap());
                } else if (Integer.toUnsignedLong(n.newMap()) >= g.internalNlba()) {
                    problem = "out of bounds 'new' mapping " + Integer.toUnsignedString(n.newMap());
                } else if (Integer.toUnsignedLong(n.oldMap()) >= g.internalNlba()) {
                    findings.add(new Finding(Finding.Check.LOG, a.index(), n.lba(), lane, a.logGroup(lane),
                            "'old' mapping " + Integer.toUnsignedString(n.oldMap()) + " carries the E flag of a"
                                    + " remapped media error; ndctl, which does not strip it, reports it out of bounds",
                            Finding.Status.NOTE));
                }
            }
            if (problem != null) {
                if (bad++ < MAX_LISTED) {
                    findings.add(new Finding(Finding.Check.LOG, a.index(), -1, lane, a.logGroup(lane), problem,
                            Finding.Status.UNREPAIRABLE));
                }
            }
        }
        summarise(Finding.Check.LOG, a, bad, "log lanes are damaged");
        return bad == 0;
    }

    /** {@code btt_check_map_entries}: every translated entry names a block inside the arena. */
    private boolean mapEntries(CheckedArena a) {
        ArenaGeometry g = a.geometry();
        long n = g.externalNlba();
        int bad = 0;
        String phase = "arena " + a.index() + " map";
        for (long first = 0; first < n; first += CHUNK) {
            int count = (int) Math.min(CHUNK, n - first);
            media.readInts(a.mapEntry(first), entries, count, scratch);
            for (int i = 0; i < count; i++) {
                long premap = first + i;
                long block = MapEntry.postMap(entries[i], premap);
                if (block >= g.internalNlba() && bad++ < MAX_LISTED) {
                    findings.add(new Finding(Finding.Check.MAP, a.index(), premap + lbaStart(a), -1,
                            a.mapEntry(premap), "map entry that is out of bounds: block " + block + " of "
                                    + g.internalNlba(), Finding.Status.UNREPAIRABLE));
                }
            }
            progress.update(phase, first + count, n);
        }
        summarise(Finding.Check.MAP, a, bad, "map entries are out of bounds");
        return bad == 0;
    }

    /** {@code btt_check_log_map}: a map entry still naming a newer log entry's old block is rolled forward. */
    private boolean logMap(CheckedArena a) {
        for (int lane = 0; lane < a.geometry().nfree(); lane++) {
            LogEntry n = newer(a, lane);
            long oldBlock = MapEntry.block(n.oldMap());
            long newBlock = Integer.toUnsignedLong(n.newMap());
            if (oldBlock == newBlock) {
                continue;
            }
            long premap = Integer.toUnsignedLong(n.lba());
            long at = a.mapEntry(premap);
            long mapped = MapEntry.postMap(media.readInt(at), premap);
            if (mapped != newBlock && mapped == oldBlock) {
                media.writeInt(at, MapEntry.normal(newBlock));
                findings.add(new Finding(Finding.Check.LOG_MAP, a.index(), premap + lbaStart(a), lane, at, "map["
                        + premap + "] needs to be updated from block " + oldBlock + " to " + newBlock
                        + " (a write cut off between its log entry and its map update)",
                        media.repair() ? Finding.Status.REPAIRED : Finding.Status.NEEDS_REPAIR));
            }
        }
        return true;
    }

    /** {@code btt_check_info2}: the backup must equal the primary byte for byte. */
    private boolean info2(CheckedArena a) {
        byte[] info2 = media.read(a.info2(), InfoBlock.SIZE);
        if (!Arrays.equals(info2, a.infoBytes())) {
            media.write(a.info2(), a.infoBytes());
            findings.add(new Finding(Finding.Check.INFO2, a.index(), -1, -1, a.info2(), "BTT info2 at offset "
                    + a.info2() + " needs to be restored (it differs from the primary)",
                    media.repair() ? Finding.Status.REPAIRED : Finding.Status.NEEDS_REPAIR));
        }
        return true;
    }

    /** {@code btt_check_bitmap}: every internal block referenced once by the map and the newer log entries. */
    private boolean bitmap(CheckedArena a) {
        ArenaGeometry g = a.geometry();
        long internal = g.internalNlba();
        BitSet seen = new BitSet((int) internal);
        long duplicates = 0;
        long firstDuplicate = -1;
        long n = g.externalNlba();
        for (long first = 0; first < n; first += CHUNK) {
            int count = (int) Math.min(CHUNK, n - first);
            media.readInts(a.mapEntry(first), entries, count, scratch);
            for (int i = 0; i < count; i++) {
                int block = (int) MapEntry.postMap(entries[i], first + i);
                if (seen.get(block)) {
                    duplicates++;
                    firstDuplicate = firstDuplicate < 0 ? block : firstDuplicate;
                }
                seen.set(block);
            }
            progress.update("arena " + a.index() + " bitmap", first + count, n);
        }
        for (int lane = 0; lane < g.nfree(); lane++) {
            int block = MapEntry.block(newer(a, lane).oldMap());
            if (seen.get(block)) {
                duplicates++;
                firstDuplicate = firstDuplicate < 0 ? block : firstDuplicate;
            }
            seen.set(block);
        }
        long missing = internal - seen.cardinality();
        if (duplicates == 0 && missing == 0) {
            return true;
        }
        findings.add(new Finding(Finding.Check.BITMAP, a.index(), -1, -1, -1, "bitmap error: internal blocks are"
                + " incorrectly referenced (" + duplicates + " referenced twice"
                + (firstDuplicate >= 0 ? ", the first block " + firstDuplicate : "") + "; " + missing
                + " referenced by nothing" + (missing > 0 ? ", the first block " + seen.nextClearBit(0) : "") + ")",
                Finding.Status.UNREPAIRABLE));
        return false;
    }

    /**
     * {@code --rewrite-log}: each lane's group written afresh in the current (0,1) layout, slot 0 holding the
     * newer entry with seq 1 and the rest zero, so the kernel sees every lane in its initial state.
     */
    void rewriteLog(CheckedArena a) {
        for (int lane = 0; lane < a.geometry().nfree(); lane++) {
            LogEntry n = newer(a, lane);
            byte[] group = new byte[LogGroup.SIZE];
            new LogEntry(n.lba(), n.oldMap(), n.newMap(), 1).encode(group, 0);
            media.writeGroup(a.logGroup(lane), group);
        }
        findings.add(new Finding(Finding.Check.REWRITE_LOG, a.index(), -1, -1, a.logGroup(0), "log rewritten: "
                + a.geometry().nfree() + " lanes in the (0,1) layout (was " + a.indices() + ")",
                Finding.Status.NOTE));
    }

    private static long lbaStart(CheckedArena a) {
        return a.externalLbaStart();
    }

    private void summarise(Finding.Check check, CheckedArena a, int bad, String what) {
        if (bad > MAX_LISTED) {
            findings.add(new Finding(check, a.index(), -1, -1, -1, bad + " " + what + " in all (the first "
                    + MAX_LISTED + " are listed)", Finding.Status.UNREPAIRABLE));
        }
    }
}
