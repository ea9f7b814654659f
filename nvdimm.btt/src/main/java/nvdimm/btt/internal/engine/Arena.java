package nvdimm.btt.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.LaneRecovery;
import nvdimm.btt.internal.format.LogIndices;
import nvdimm.btt.internal.format.LogWriter;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * An arena in use (Linux's {@code struct arena_info} at run time): where its parts lie on the medium, each
 * lane's free block with the log slot and seq its next write uses ({@code freelist}), the read-tracking table
 * ({@code rtt}) and the map locks.
 *
 * <p>A lane's free-list entry is touched only by the holder of that lane (the lane lock orders successive
 * holders), so it is plain. The read-tracking table is read by writers of every lane, so its slots are
 * volatile; the reader's store and its re-read of the map, like the writer's map store and its scan, are
 * separated by full fences (a Dekker handshake: either the writer sees the reader's slot, or the reader sees
 * the new map entry).
 */
final class Arena {
    /** {@code RTT_VALID}: the slot holds a block being read. */
    static final int RTT_VALID = 1 << 31;
    /** {@code RTT_INVALID}: the slot is free. */
    static final int RTT_INVALID = 0;
    /** A cache line, for hashing map entries to map locks ({@code L1_CACHE_BYTES}). */
    private static final int CACHE_LINE = 64;
    private static final VarHandle RTT = MethodHandles.arrayElementVarHandle(int[].class);

    final String name;
    final ArenaGeometry geometry;
    final DiscoveredArena found;
    /** The first external LBA of the arena. */
    final long firstLba;
    /** Medium offsets of the map and of block 0's data. */
    final long mapBase;
    final long dataBase;
    /** The medium offsets of each lane's two live log slots. */
    private final long[] slot0;
    private final long[] slot1;
    /** The info block's error flag: writes fail with EIO. */
    final boolean readOnly;

    // the free list, indexed by lane
    final int[] freeBlock;
    final int[] freeSub;
    final int[] freeSeq;
    final boolean[] freeErr;

    private final int[] rtt;
    /** How many read-tracking slots a writer scans: the lanes of the BTT's pool ({@link #useLanes}). */
    private int trackedSlots;
    /** One more than the highest lane that ever tracked a read: slots above it were never written. */
    private volatile int readerLanes;
    private static final VarHandle READER_LANES;

    static {
        try {
            READER_LANES = MethodHandles.lookup().findVarHandle(Arena.class, "readerLanes", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private final Mutex[] mapLocks;
    final Mutex errLock;

    Arena(DiscoveredArena found, long bttStart, List<LaneRecovery> lanes, Lockdep lockdep) {
        this.found = found;
        this.name = found.name();
        this.geometry = found.geometry();
        this.firstLba = found.externalLbaStart();
        this.readOnly = found.readOnly();
        int nfree = geometry.nfree();
        this.mapBase = bttStart + geometry.mapEntryOffset(0);
        this.dataBase = bttStart + geometry.dataBlockOffset(0);
        LogIndices indices = found.logIndices();
        this.slot0 = new long[nfree];
        this.slot1 = new long[nfree];
        this.freeBlock = new int[nfree];
        this.freeSub = new int[nfree];
        this.freeSeq = new int[nfree];
        this.freeErr = new boolean[nfree];
        for (int lane = 0; lane < nfree; lane++) {
            slot0[lane] = LogWriter.slotOffset(bttStart, geometry, indices, lane, 0);
            slot1[lane] = LogWriter.slotOffset(bttStart, geometry, indices, lane, 1);
            LaneRecovery r = lanes.get(lane);
            freeBlock[lane] = (int) r.free().block();
            freeSub[lane] = r.free().sub();
            freeSeq[lane] = r.free().seq();
            // a block that was cleared at load is clean now
            freeErr[lane] = r.free().hasError() && !r.clearBlock();
        }
        this.rtt = new int[nfree];
        this.trackedSlots = nfree;
        this.mapLocks = new Mutex[nfree];
        for (int i = 0; i < nfree; i++) {
            mapLocks[i] = lockdep.newMutex(BttLocks.MAP);
        }
        this.errLock = lockdep.newMutex(BttLocks.ERR);
    }

    int nfree() {
        return geometry.nfree();
    }

    long mapEntry(long premap) {
        return mapBase + premap * 4;
    }

    long dataBlock(long block) {
        return dataBase + block * geometry.internalLbaSize();
    }

    /** The medium offset of sub-entry {@code sub} of {@code lane}'s log. */
    long logSlot(int lane, int sub) {
        return sub == 0 ? slot0[lane] : slot1[lane];
    }

    /** The map lock of {@code premap}'s entry ({@code lock_map}: by cache line, modulo nfree). */
    Mutex mapLock(long premap) {
        return mapLocks[(int) ((premap * 4 / CACHE_LINE) % mapLocks.length)];
    }

    /** Publishes that {@code lane} is reading {@code block}, then fences before the map is read again. */
    void trackRead(int lane, long block) {
        // first raise the high-water mark of lanes that ever read (rarely: once per lane), then publish the slot;
        // a writer that read the mark before the raise stored its map entry before it, so this reader's re-read
        // of the map sees the new entry and retries (the same handshake as for the slot itself)
        int mark = readerLanes;
        while (lane >= mark) {
            if (READER_LANES.compareAndSet(this, mark, lane + 1)) {
                break;
            }
            mark = readerLanes;
        }
        RTT.setVolatile(rtt, lane, RTT_VALID | (int) block);
        VarHandle.fullFence();
    }

    void untrackRead(int lane) {
        RTT.setRelease(rtt, lane, RTT_INVALID);
    }

    /** Waits while any reader tracks {@code block} (the writer's side of the handshake). */
    void awaitReaders(long block) {
        VarHandle.fullFence(); // the writer's map store (which freed the block) before the scan: Dekker
        int tracked = RTT_VALID | (int) block;
        int[] slots = rtt;
        int n = Math.min(trackedSlots, readerLanes); // only lanes that ever read can hold the block
        // The common case, nobody reading the block, in one pass of plain loads between the two fences: the full
        // fence keeps them after the map store, the acquire fence keeps the data stores that follow after them.
        // Ordered loads in the loop cost four times as much (bench: RttScanBenchmark).
        boolean seen = false;
        for (int i = 0; i < n; i++) {
            seen |= slots[i] == tracked;
        }
        if (seen) {
            for (int i = 0; i < n; i++) {
                while ((int) RTT.getVolatile(slots, i) == tracked) {
                    Thread.onSpinWait();
                }
            }
        }
        VarHandle.acquireFence(); // a reader's release of its slot happens-before the stores into the block
    }

    /** Limits the scan to the slots of the lanes in use: readers only ever track in lanes below {@code lanes}. */
    void useLanes(int lanes) {
        trackedSlots = Math.min(lanes, rtt.length);
    }

    /** Moves {@code lane}'s free-list entry on after its log write ({@code btt_flog_write}). */
    void advance(int lane, int oldMapRaw, boolean oldHadError) {
        freeSub[lane] = 1 - freeSub[lane];
        freeSeq[lane] = freeSeq[lane] == 3 ? 1 : freeSeq[lane] + 1;
        freeBlock[lane] = oldMapRaw & nvdimm.btt.internal.format.MapEntry.BLOCK_MASK;
        if (oldHadError) {
            freeErr[lane] = true;
        }
    }
}
