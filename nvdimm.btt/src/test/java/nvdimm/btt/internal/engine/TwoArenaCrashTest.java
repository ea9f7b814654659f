package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.MapEntry;
import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.testing.ImagePolicy;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * The crash explorer across two arenas (512 GiB + 64 MiB, v1.1, 4096-byte sectors). A recording medium of that
 * size cannot be allocated (its live bytes are a memory medium), so the BTT lies on a sparse file and only the
 * windows a workload may change (both arenas' info blocks and logs, the spare blocks, and the map pages and
 * identity blocks of the LBAs it writes) are recorded, on one small {@link RecordingMedium} spliced over the
 * file ({@link SplicedMedium}); a write outside them fails. Each crash image, spliced over the same file, is a
 * whole namespace: it loads, its bitmap over the windows is clean (the map entries outside them are the file's
 * identity zeros, so that is the whole check), and every LBA reads its last completed version or the one in
 * flight, a 2-sector write across the arena boundary being atomic per sector.
 */
class TwoArenaCrashTest {

    private static final BttVersion V = BttVersion.V1_1;
    private static final long BTT = V.initialOffset();
    private static final int SECTOR = 4096;

    private final Lockdep lockdep = new Lockdep(LockdepMode.OFF);
    private final List<ArenaGeometry> arenas = BttLayout.plan(MultiArenaEngineTest.NAMESPACE - BTT, SECTOR).arenas();
    /** Windows (big-medium offsets), merged; and the metadata pieces, for the policy. */
    private long[] start;
    private long[] end;
    private final List<long[]> metadata = new ArrayList<>();
    private final List<String> metadataLabels = new ArrayList<>();

    /** Ops: first LBA, sectors, version. */
    private final List<long[]> ops = new ArrayList<>();

    private static byte[] content(long lba, long v) {
        byte[] b = new byte[SECTOR];
        new SplittableRandom(lba * 1_000_003L + v).nextBytes(b);
        return b;
    }

    private void windows(long[] touched) {
        TreeMap<Long, Long> w = new TreeMap<>();
        for (int i = 0; i < arenas.size(); i++) {
            ArenaGeometry a = arenas.get(i);
            meta(w, BTT + a.infoOffset(), ArenaGeometry.PAGE, "arena " + i + " info");
            meta(w, BTT + a.info2Offset(), ArenaGeometry.PAGE, "arena " + i + " info2");
            meta(w, BTT + a.logGroupOffset(0), (long) a.nfree() * ArenaGeometry.LOG_GROUP_SIZE, "arena " + i + " log");
            add(w, BTT + a.dataBlockOffset(a.externalNlba()), (long) a.nfree() * a.internalLbaSize());
        }
        for (long lba : touched) {
            int i = lba < MultiArenaEngineTest.FIRST_OF_ARENA_1 ? 0 : 1;
            ArenaGeometry a = arenas.get(i);
            long premap = lba - (i == 0 ? 0 : MultiArenaEngineTest.FIRST_OF_ARENA_1);
            long page = (BTT + a.mapEntryOffset(premap)) & -ArenaGeometry.PAGE;
            meta(w, page, ArenaGeometry.PAGE, "arena " + i + " map");
            add(w, BTT + a.dataBlockOffset(premap), a.internalLbaSize());
        }
        // merge
        List<long[]> merged = new ArrayList<>();
        for (Map.Entry<Long, Long> e : w.entrySet()) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && e.getKey() <= last[1]) {
                last[1] = Math.max(last[1], e.getValue());
            } else {
                merged.add(new long[] {e.getKey(), e.getValue()});
            }
        }
        start = merged.stream().mapToLong(r -> r[0]).toArray();
        end = merged.stream().mapToLong(r -> r[1]).toArray();
    }

    private void meta(TreeMap<Long, Long> w, long at, long length, String label) {
        add(w, at, length);
        metadata.add(new long[] {at, length});
        metadataLabels.add(label);
    }

    private static void add(TreeMap<Long, Long> w, long at, long length) {
        w.merge(at, at + length, Math::max);
    }

    /** Where big-medium offset {@code big} (inside a window) lies in the windows' medium. */
    private long compact(long big) {
        long next = 0;
        for (int i = 0; i < start.length; i++) {
            if (big >= start[i] && big < end[i]) {
                return next + big - start[i];
            }
            next += end[i] - start[i];
        }
        throw new IllegalArgumentException(big + " lies in no window");
    }

    private Btt load(Medium medium) {
        return Btt.load("btt0.0", medium, V, Optional.empty(), TestLanes.pool("region0", lockdep, 4,
                LanePolicy.ROUND_ROBIN), lockdep, MediaErrors.NONE);
    }

    @Test
    void everyCrashImageOfWritesAcrossTwoArenasIsConsistent(@TempDir Path dir) {
        long images = explore(dir, WriteOrder.LINUX);
        System.out.println("crash explorer: two arenas (V1_1, 4096): " + images + " crash images, 0 failures");
        assertTrue(images >= ops.size() * 4L, images + " images");
    }

    /** Negative control: the log's sequence half written first is caught here too. */
    @Test
    void negativeControlSequenceHalfFirstIsCaught(@TempDir Path dir) {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> explore(dir, new WriteOrder() {
                    @Override
                    public void data(Medium m, long at, MemorySegment src, long srcOffset, long length) {
                        LINUX.data(m, at, src, srcOffset, length);
                    }

                    @Override
                    public void log(Medium m, long slot, long firstHalf, long secondHalf) {
                        m.writeLong(slot + Long.BYTES, secondHalf);
                        m.persist(slot + Long.BYTES, Long.BYTES);
                        m.writeLong(slot, firstHalf);
                        m.persist(slot, Long.BYTES);
                    }

                    @Override
                    public void map(Medium m, long at, int entry) {
                        LINUX.map(m, at, entry);
                    }
                }));
        assertTrue(e.getMessage().contains("crash point"), e.getMessage());
    }

    private long explore(Path dir, WriteOrder order) {
        long boundary = MultiArenaEngineTest.FIRST_OF_ARENA_1;
        try (Medium base = Media.mapFile(dir.resolve("ns.img"), MultiArenaEngineTest.NAMESPACE, MapOption.CREATE)) {
            MultiArenaEngineTest.layout(base);
            long last = boundary + arenas.get(1).externalNlba() - 1;
            long[] touched = {0, boundary - 1, boundary, boundary + 1, last};
            windows(touched);
            Medium initial = Media.memory("win", SplicedMedium.windowBytes(start, end));
            SplicedMedium.copyWindows(base, initial, start, end);
            RecordingMedium win = new RecordingMedium("win", initial);
            initial.close();
            Btt btt = Btt.load("btt0.0", new SplicedMedium("ns", base, win, start, end), V, Optional.empty(),
                    TestLanes.pool("region0", lockdep, 4, LanePolicy.ROUND_ROBIN), lockdep, MediaErrors.NONE, order);
            assertEquals(2, btt.arenas().size());
            win.clearLog();

            write(win, btt, boundary - 1, 2, 1); // one write, a sector in each arena
            write(win, btt, boundary, 1, 2);
            write(win, btt, last, 1, 1);
            write(win, btt, 0, 1, 1);
            write(win, btt, boundary - 1, 1, 2);
            write(win, btt, boundary + 1, 1, 1);
            write(win, btt, last, 1, 2);
            win.mark("op " + ops.size());

            ImagePolicy policy = ImagePolicy.sampledByDefault().samples(BttCrashTest.SAMPLES);
            for (int i = 0; i < metadata.size(); i++) {
                policy.exhaustive("win", compact(metadata.get(i)[0]), metadata.get(i)[1], metadataLabels.get(i));
            }
            AtomicLong images = new AtomicLong();
            win.crashPoints(point -> {
                int inFlight = Integer.parseInt(point.marker().substring(3));
                point.forEachImage(policy, 3, image -> {
                    images.incrementAndGet();
                    check(new SplicedMedium("crash", base, image.medium("win"), start, end), touched, inFlight);
                });
            });
            win.close();
            return images.get();
        }
    }

    private void write(RecordingMedium win, Btt btt, long lba, int sectors, int v) {
        win.mark("op " + ops.size());
        ops.add(new long[] {lba, sectors, v});
        byte[] data = new byte[sectors * SECTOR];
        for (int s = 0; s < sectors; s++) {
            System.arraycopy(content(lba + s, v), 0, data, s * SECTOR, SECTOR);
        }
        btt.write(lba, MemorySegment.ofArray(data));
    }

    /** The crash image's checks, write {@code inFlight} under way. */
    private void check(Medium image, long[] touched, int inFlight) {
        Btt crashed = load(image);
        for (int i = 0; i < arenas.size(); i++) {
            bitmap(crashed, i, touched);
        }
        Map<Long, List<Long>> allowed = new HashMap<>();
        for (long lba : touched) {
            allowed.put(lba, new ArrayList<>(List.of(0L)));
        }
        for (int k = 0; k <= Math.min(inFlight, ops.size() - 1); k++) {
            long[] op = ops.get(k);
            for (long lba = op[0]; lba < op[0] + op[1]; lba++) {
                if (k < inFlight) {
                    allowed.put(lba, new ArrayList<>(List.of(op[2])));
                } else {
                    allowed.get(lba).add(op[2]);
                }
            }
        }
        for (long lba : touched) {
            byte[] got = new byte[SECTOR];
            crashed.read(lba, MemorySegment.ofArray(got));
            boolean ok = false;
            for (long v : allowed.get(lba)) {
                ok |= Arrays.equals(got, v == 0 ? new byte[SECTOR] : content(lba, v));
            }
            if (!ok) {
                throw new AssertionError("LBA " + lba + " reads none of versions " + allowed.get(lba));
            }
        }
        for (long lba : new long[] {1, MultiArenaEngineTest.FIRST_OF_ARENA_1 + 2}) {
            byte[] got = new byte[SECTOR];
            crashed.read(lba, MemorySegment.ofArray(got));
            if (!Arrays.equals(got, new byte[SECTOR])) {
                throw new AssertionError("LBA " + lba + ", which no write touched, changed");
            }
        }
    }

    /**
     * ndctl's bitmap check over the windows of arena {@code i}: the entries of the recorded map pages plus the
     * free blocks reference exactly those entries' identity blocks and the spare blocks, each once (every other
     * entry is an identity zero of the file, referencing its own block), and untouched entries stayed zero.
     */
    private void bitmap(Btt btt, int i, long[] touched) {
        Arena a = btt.arena(i);
        ArenaGeometry g = a.geometry;
        long first = i == 0 ? 0 : MultiArenaEngineTest.FIRST_OF_ARENA_1;
        BitSet pages = new BitSet();
        for (long lba : touched) {
            if (lba >= first && lba < first + g.externalNlba()) {
                pages.set((int) ((lba - first) / 1024));
            }
        }
        Map<Long, String> owners = new HashMap<>();
        List<Long> expected = new ArrayList<>();
        for (int p = pages.nextSetBit(0); p >= 0; p = pages.nextSetBit(p + 1)) {
            for (long premap = p * 1024L; premap < Math.min((p + 1) * 1024L, g.externalNlba()); premap++) {
                int raw = btt.medium().readInt(a.mapEntry(premap));
                long lba = first + premap;
                boolean isTouched = Arrays.stream(touched).anyMatch(t -> t == lba);
                if (!isTouched && raw != 0) {
                    throw new AssertionError("arena " + i + ": untouched premap " + premap + " changed");
                }
                own(owners, MapEntry.postMap(raw, premap), "premap " + premap, i);
                expected.add(premap);
            }
        }
        for (int lane = 0; lane < g.nfree(); lane++) {
            own(owners, Integer.toUnsignedLong(a.freeBlock[lane]), "free block of lane " + lane, i);
            expected.add(g.externalNlba() + lane);
        }
        for (long block : expected) {
            if (!owners.containsKey(block)) {
                throw new AssertionError("arena " + i + ": block " + block + " referenced by nothing");
            }
        }
    }

    private static void own(Map<Long, String> owners, long block, String by, int arena) {
        String before = owners.put(block, by);
        if (before != null) {
            throw new AssertionError("arena " + arena + ": block " + block + " referenced by " + before + " and " + by);
        }
    }

    /** The spliced medium refuses a write outside its windows: the exploration would miss it. */
    @Test
    void aWriteOutsideTheWindowsFails() {
        try (Medium base = Media.memory("base", 1 << 16); Medium w = Media.memory("w", 8192)) {
            SplicedMedium m = new SplicedMedium("ns", base, w, new long[] {4096, 16384}, new long[] {8192, 20480});
            m.writeLong(4096, 7);
            assertEquals(7, w.readLong(0));
            m.write(16384, new byte[] {1, 2});
            assertEquals(1, w.readInt(4096) & 0xff);
            NvdimmException e = org.junit.jupiter.api.Assertions.assertThrows(NvdimmException.class,
                    () -> m.write(8190, new byte[4]));
            assertEquals(Errno.EIO, e.errno());
            base.writeInt(12, 5);
            assertEquals(5, m.readInt(12));
            byte[] across = new byte[16];
            m.read(8184, across);
            assertEquals(0, across[0]);
        }
    }
}
