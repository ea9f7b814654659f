package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.MapEntry;
import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.testing.ImagePolicy;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
import nvdimm.region.testing.TestLanes;

/**
 * The BTT crash explorer: formats a BTT on a {@link RecordingMedium}, runs a workload of sector writes
 * through the engine, then at every persistence barrier of the workload builds the crash images a power
 * failure could leave (every combination of the pending words of the info blocks, the map and the log;
 * sampled subsets of the pending data words, torn where the medium tears) and checks each one: the BTT loads
 * (fresh lanes, load-time recovery), its consistency check is clean, every sector the workload wrote reads an
 * allowed version in full, and every other sector keeps its map entry (sampled ones also their content).
 *
 * <p>Allowed versions: with one writer, markers say which write was in flight at the crash, so a sector reads
 * exactly its last completed version or the one in flight (durability as well as atomicity); with several
 * writers, any version written to it or the one before the workload. A version's content is unique to its
 * sector and number, so a mix of two versions or another sector's data matches none.
 */
final class CrashExplorer {

    /** Big enough for one arena of at least 16 MiB after v1.1's 4 KiB offset. */
    static final long SIZE = 18L << 20;
    /** An LBA whose read must fail with EIO (its map entry carries the error flag). */
    static final int EIO_VERSION = -1;

    final BttVersion version;
    final int lbasize;
    final RecordingMedium medium;
    final Btt btt;
    private final Lockdep lockdep = new Lockdep(LockdepMode.OFF);
    private final long bttStart;
    private final ArenaGeometry arena;
    /** Each LBA's version before the workload: 0 for its content then (written or identity zeros), or EIO. */
    private final Map<Long, Integer> initial = new TreeMap<>();
    private final Map<Long, byte[]> initialContent = new HashMap<>();
    /** The versions written to each LBA during the workload (several writers). */
    private final Map<Long, Set<Integer>> written = new ConcurrentHashMap<>();
    /** One writer: the writes in order, for exact expectations. */
    private final List<long[]> ops = new ArrayList<>();
    private final Set<Long> prewritten = new TreeSet<>();
    private boolean ordered = true;
    private byte[] mapBefore;
    /** Untouched LBAs whose content is read in every image. */
    private long[] sampledUntouched;

    /** Formats a BTT on a fresh recording medium and loads it with {@code order} for its writes. */
    CrashExplorer(BttVersion version, int lbasize, int lanes, WriteOrder order, MediaErrors errors) {
        this(version, lbasize, lanes, LanePolicy.STICKY, order, errors);
    }

    /** As above, with lanes chosen by {@code policy} (round-robin spreads one writer over every lane). */
    CrashExplorer(BttVersion version, int lbasize, int lanes, LanePolicy policy, WriteOrder order,
            MediaErrors errors) {
        this.version = version;
        this.lbasize = lbasize;
        this.medium = new RecordingMedium("ns", SIZE);
        Btt.format(medium, version, lbasize, UUID.nameUUIDFromBytes(new byte[] {(byte) lbasize}), InfoBlock.NIL_UUID);
        medium.sync();
        this.btt = Btt.load("btt0.0", medium, version, Optional.empty(),
                TestLanes.pool("region0", lockdep, lanes, policy), lockdep, errors, order);
        this.bttStart = version.initialOffset();
        this.arena = btt.arenas().getFirst().geometry();
    }

    private LanePool pool(int lanes) {
        return TestLanes.pool("region0", lockdep, lanes, LanePolicy.STICKY);
    }

    // ------------------------------------------------------------------ set-up, before the recorded workload

    /** Writes version 0 of {@code lba} (through the BTT, so its map entry becomes a normal one). */
    CrashExplorer prewrite(long... lbas) {
        for (long lba : lbas) {
            btt.write(lba, MemorySegment.ofArray(content(lba, 0)));
            prewritten.add(lba);
        }
        return this;
    }

    /** Marks {@code lba}'s map entry with the error flag, as a failed read would: it reads EIO until written. */
    CrashExplorer markError(long lba) {
        long at = bttStart + arena.mapEntryOffset(lba);
        medium.writeInt(at, MapEntry.error(MapEntry.postMap(medium.readInt(at), lba)));
        medium.persist(at, 4);
        initial.put(lba, EIO_VERSION);
        return this;
    }

    /** Ends the set-up: persists everything, notes what each LBA holds, and starts the log of the workload. */
    CrashExplorer start(long... untouched) {
        medium.sync();
        mapBefore = new byte[Math.toIntExact(arena.mapSize())];
        medium.read(bttStart + arena.mapEntryOffset(0), mapBefore);
        sampledUntouched = untouched.clone();
        for (long lba : untouched) {
            initialContent.put(lba, readOrNull(btt, lba));
        }
        medium.clearLog();
        return this;
    }

    // ------------------------------------------------------------------ the workload

    /** The unique content of version {@code v} of {@code lba}; version 0 of an LBA never written is zeros. */
    byte[] content(long lba, int v) {
        byte[] b = new byte[lbasize];
        new SplittableRandom(lba * 1_000_003L + v * 7919L + lbasize).nextBytes(b);
        return b;
    }

    /** One writer: writes version {@code v} of {@code lba}, marked so that the crash points know it. */
    void write(long lba, int v) {
        checkNotSampled(lba);
        medium.mark("op " + ops.size());
        ops.add(new long[] {lba, v});
        written.computeIfAbsent(lba, k -> ConcurrentHashMap.newKeySet()).add(v);
        btt.write(lba, MemorySegment.ofArray(content(lba, v)));
    }

    /** Several writers: writes version {@code v} of {@code lba} from any thread. */
    void writeConcurrently(long lba, int v) {
        checkNotSampled(lba);
        ordered = false;
        written.computeIfAbsent(lba, k -> ConcurrentHashMap.newKeySet()).add(v);
        btt.write(lba, MemorySegment.ofArray(content(lba, v)));
    }

    /** A workload must not write the LBAs it named untouched. */
    private void checkNotSampled(long lba) {
        for (long untouched : sampledUntouched) {
            if (untouched == lba) {
                throw new IllegalArgumentException("LBA " + lba + " was named untouched in start()");
            }
        }
    }

    // ------------------------------------------------------------------ exploration

    /** Images per point and how many samples of the data words each combination of metadata words gets. */
    ImagePolicy policy(int samples) {
        return ImagePolicy.sampledByDefault()
                .exhaustive("ns", bttStart + arena.infoOffset(), ArenaGeometry.PAGE, "info")
                .exhaustive("ns", bttStart + arena.mapEntryOffset(0), arena.mapSize(), "map")
                .exhaustive("ns", bttStart + arena.logGroupOffset(0), arena.logSize(), "log")
                .exhaustive("ns", bttStart + arena.info2Offset(), ArenaGeometry.PAGE, "info2")
                .samples(samples);
    }

    /**
     * Checks every crash image of every crash point of the workload under {@code policy}.
     *
     * @return the number of images checked
     * @throws AssertionError naming the first image that failed
     */
    long explore(int samples, long seed) {
        medium.mark("op " + ops.size());
        ImagePolicy policy = policy(samples);
        AtomicLong images = new AtomicLong();
        medium.crashPoints(point -> {
            int inFlight = point.marker().startsWith("op ") ? Integer.parseInt(point.marker().substring(3)) : 0;
            point.forEachImage(policy, seed, image -> {
                images.incrementAndGet();
                checkImage(image.medium("ns"), inFlight);
            });
        });
        return images.get();
    }

    /** What a crash image must hold, {@code inFlight} being the one writer's write under way then. */
    private void checkImage(Medium image, int inFlight) {
        Btt crashed = Btt.load("btt0.0", image, version, Optional.empty(), pool(4), lockdep, MediaErrors.NONE);
        List<String> problems = crashed.consistencyProblems();
        if (!problems.isEmpty()) {
            throw new AssertionError("inconsistent after load-time recovery: " + problems);
        }
        Map<Long, Set<Integer>> allowed = allowed(inFlight);
        for (Map.Entry<Long, Set<Integer>> e : allowed.entrySet()) {
            long lba = e.getKey();
            byte[] got = readOrNull(crashed, lba);
            Set<Integer> versions = e.getValue();
            if (!matchesOne(lba, got, versions)) {
                throw new AssertionError("LBA " + lba + " reads " + describe(lba, got) + ", not one of versions "
                        + versions);
            }
        }
        byte[] map = new byte[mapBefore.length];
        image.read(bttStart + arena.mapEntryOffset(0), map);
        for (int lba = 0; lba < arena.externalNlba(); lba++) {
            if (!allowed.containsKey((long) lba) && !Arrays.equals(map, lba * 4, lba * 4 + 4, mapBefore, lba * 4,
                    lba * 4 + 4)) {
                throw new AssertionError("the map entry of LBA " + lba + ", which no write touched, changed");
            }
        }
        for (long lba : sampledUntouched) {
            if (!Arrays.equals(initialContent.get(lba), readOrNull(crashed, lba))) {
                throw new AssertionError("LBA " + lba + ", which no write touched, changed its content");
            }
        }
    }

    /** The versions each touched LBA may show after a crash while write {@code inFlight} was under way. */
    private Map<Long, Set<Integer>> allowed(int inFlight) {
        Map<Long, Set<Integer>> allowed = new TreeMap<>();
        for (long lba : written.keySet()) {
            Set<Integer> versions = new TreeSet<>();
            versions.add(initial.getOrDefault(lba, 0));
            if (!ordered) {
                versions.addAll(written.get(lba));
            }
            allowed.put(lba, versions);
        }
        if (ordered) {
            for (int k = 0; k < Math.min(inFlight, ops.size()); k++) {
                allowed.put(ops.get(k)[0], new TreeSet<>(Set.of((int) ops.get(k)[1])));
            }
            if (inFlight < ops.size()) {
                allowed.get(ops.get(inFlight)[0]).add((int) ops.get(inFlight)[1]);
            }
        }
        return allowed;
    }

    private boolean matchesOne(long lba, byte[] got, Set<Integer> versions) {
        for (int v : versions) {
            if (v == EIO_VERSION ? got == null : got != null && Arrays.equals(got, expected(lba, v))) {
                return true;
            }
        }
        return false;
    }

    /** Version {@code v}'s content; version 0 of an LBA never prewritten is its identity block's zeros. */
    private byte[] expected(long lba, int v) {
        return v == 0 && !prewritten.contains(lba) ? new byte[lbasize] : content(lba, v);
    }

    private String describe(long lba, byte[] got) {
        if (got == null) {
            return "EIO";
        }
        for (int v : written.getOrDefault(lba, Set.of())) {
            if (Arrays.equals(got, content(lba, v))) {
                return "version " + v;
            }
        }
        return Arrays.equals(got, new byte[lbasize]) ? "zeros" : "bytes of no version";
    }

    /** The sector's bytes, or null when the read fails with EIO. */
    static byte[] readOrNull(Btt btt, long lba) {
        byte[] got = new byte[btt.sectorSize()];
        try {
            btt.read(lba, MemorySegment.ofArray(got));
            return got;
        } catch (NvdimmException e) {
            if (e.errno() == Errno.EIO) {
                return null;
            }
            throw e;
        }
    }
}
