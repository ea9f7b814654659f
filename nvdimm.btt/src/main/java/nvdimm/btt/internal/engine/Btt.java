package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.internal.format.ArenaDiscovery;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.ArenaIndex;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.DiscoveredArena;
import nvdimm.btt.internal.format.Discovery;
import nvdimm.btt.internal.format.FreeListRecovery;
import nvdimm.btt.internal.format.FreshLayout;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LaneRecovery;
import nvdimm.btt.internal.format.LoadRecovery;
import nvdimm.btt.internal.format.LogEntry;
import nvdimm.btt.internal.format.MapEntry;
import nvdimm.btt.internal.format.SectorSizes;
import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePool;

/**
 * A loaded BTT (Linux's {@code struct btt}): its arenas, read and written a sector at a time through the
 * region's lanes, as {@code btt_read_pg} and {@code btt_write_pg}.
 *
 * <h2>Sectors</h2>
 * A sector of {@link #sectorSize()} bytes is the data ({@link #dataBytes()}: 512 or 4096) followed by the
 * integrity bytes, stored together at the start of its internal block as Linux stores them. Transfers name
 * their first LBA and move a whole number of sectors; each sector takes a lane of its own, as in Linux.
 *
 * <h2>Errors</h2>
 * Every failure is an {@link NvdimmException} with the errno of the layer that failed (the medium's errno
 * unchanged). A data read that fails with EIO marks the LBA's map entry with the error flag (reads give EIO
 * until the LBA is written); writing such an LBA remaps it and clears the freed block before it is reused.
 * An arena whose info block carries the error flag is read-only (writes give EIO).
 *
 * <p>Thread-safe; allocation-free per I/O. No method may be called holding a lane or a device lock.
 */
public final class Btt implements AutoCloseable {
    private final String name;
    private final Medium medium;
    private final BttVersion version;
    private final List<Arena> arenas;
    private final ArenaIndex index;
    private final LanePool lanes;
    private final MediaErrors errors;
    private final int sectorSize;
    private final int dataBytes;
    private final MemorySegment zeros;
    private final int recoveryStores;
    private final WriteOrder order;
    private volatile boolean closed;
    /** Map entries {@link #consistencyProblems} reads at a time. */
    private static final int CONSISTENCY_CHUNK = 1 << 18;
    private static final java.lang.invoke.VarHandle INT_LE = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private Btt(String name, Medium medium, BttVersion version, List<Arena> arenas, LanePool lanes,
            MediaErrors errors, int recoveryStores, WriteOrder order) {
        this.name = name;
        this.medium = medium;
        this.version = version;
        this.arenas = List.copyOf(arenas);
        List<ArenaGeometry> geometries = new ArrayList<>();
        int nfree = Integer.MAX_VALUE;
        for (Arena a : arenas) {
            geometries.add(a.geometry);
            nfree = Math.min(nfree, a.nfree());
        }
        this.index = new ArenaIndex(geometries);
        this.lanes = lanes.limit(nfree);
        for (Arena a : arenas) {
            a.useLanes(this.lanes.count());
        }
        this.errors = errors;
        this.sectorSize = arenas.getFirst().geometry.externalLbaSize();
        this.dataBytes = SectorSizes.dataBytes(sectorSize);
        this.zeros = MemorySegment.ofArray(new byte[Math.max(sectorSize, arenas.getFirst().geometry.internalLbaSize())]);
        this.recoveryStores = recoveryStores;
        this.order = order;
    }

    // ------------------------------------------------------------------ format and load

    /**
     * Writes a new BTT over a namespace's bytes as Linux does when it first attaches one
     * ({@code btt_meta_init}): map zeroed, log lanes seeded, backup then primary info block per arena; data is
     * not touched.
     *
     * @param medium the namespace's bytes
     * @param version {@link BttVersion#forNewBtt}: where the BTT starts and the version its blocks carry
     * @param lbasize the external sector size, one of {@link SectorSizes#SUPPORTED}
     * @param uuid the BTT's uuid
     * @param parentUuid the namespace's uuid, or the nil uuid for a label-less namespace
     * @return the layout written
     * @throws NvdimmException EINVAL for an unsupported sector size, ENXIO for a namespace too small, the
     *     medium's errno when a write fails
     */
    public static BttLayout format(Medium medium, BttVersion version, int lbasize, UUID uuid, UUID parentUuid) {
        long rawSize = medium.size() - version.initialOffset();
        BttLayout layout = BttLayout.plan(rawSize, lbasize);
        FreshLayout.write(medium, version.initialOffset(), layout, version, uuid, parentUuid);
        return layout;
    }

    /**
     * Loads the BTT on a namespace's bytes ({@code discover_arenas}, {@code btt_freelist_init}): finds the
     * arenas, rebuilds each lane's free block from its log, clears bad free blocks and rolls forward a map
     * update a crash cut off (the only writes loading makes).
     *
     * @param name the BTT's name for messages, {@code btt0.1}
     * @param medium the namespace's bytes
     * @param version the version the namespace's claim class calls for
     * @param namespaceUuid the namespace's uuid (the BTT's parent); empty for a label-less namespace
     * @param lanes the region's lanes; the BTT uses the first {@code nfree}
     * @param lockdep the validator its map locks are checked by
     * @param errors the namespace's bad blocks
     * @throws NvdimmException ENODEV when there is no valid BTT or its metadata is corrupted, EIO for log
     *     corruption, the medium's errno as it fails
     */
    public static Btt load(String name, Medium medium, BttVersion version, Optional<UUID> namespaceUuid,
            LanePool lanes, Lockdep lockdep, MediaErrors errors) {
        return load(name, medium, version, namespaceUuid, lanes, lockdep, errors, WriteOrder.LINUX);
    }

    /** {@link #load} with the order of a sector write's stores: {@link WriteOrder#LINUX} but in crash tests. */
    static Btt load(String name, Medium medium, BttVersion version, Optional<UUID> namespaceUuid,
            LanePool lanes, Lockdep lockdep, MediaErrors errors, WriteOrder order) {
        Objects.requireNonNull(lanes, "lanes");
        Objects.requireNonNull(errors, "errors");
        BttLocks.register(lockdep);
        long bttStart = version.initialOffset();
        Discovery found = ArenaDiscovery.discover(medium, bttStart, medium.size() - bttStart, namespaceUuid, name);
        if (found instanceof Discovery.NotFound(var why)) {
            throw new NvdimmException(Errno.ENODEV, name + ": no BTT on " + medium.name() + ": " + why.problem());
        }
        List<Arena> arenas = new ArrayList<>();
        int stores = 0;
        for (DiscoveredArena a : ((Discovery.Found) found).arenas()) {
            List<LaneRecovery> recovered = FreeListRecovery.arena(medium, bttStart, a);
            stores += LoadRecovery.apply(medium, bttStart, a.geometry(), recovered);
            arenas.add(new Arena(a, bttStart, recovered, lockdep));
        }
        return new Btt(name, medium, version, arenas, lanes, errors, stores, Objects.requireNonNull(order, "order"));
    }

    // ------------------------------------------------------------------ description

    public String name() {
        return name;
    }

    /** The external sector size ({@code external_lbasize}). */
    public int sectorSize() {
        return sectorSize;
    }

    /** The data bytes of a sector (512 or 4096), Linux's {@code btt->sector_size}. */
    public int dataBytes() {
        return dataBytes;
    }

    /** Sectors over all arenas. */
    public long sectors() {
        return index.externalNlba();
    }

    /** The BTT's capacity as Linux reports it: sectors times data bytes. */
    public long capacity() {
        return sectors() * dataBytes;
    }

    public BttVersion version() {
        return version;
    }

    /** The BTT's uuid (the first arena's). */
    public UUID uuid() {
        return arenas.getFirst().found.info().uuid();
    }

    /** The arenas as loaded, in order. */
    public List<DiscoveredArena> arenas() {
        return arenas.stream().map(a -> a.found).toList();
    }

    /** The lanes the BTT uses: the region's, limited to the arenas' {@code nfree}. */
    public LanePool lanes() {
        return lanes;
    }

    /** How many stores loading made (bad free blocks cleared, map updates rolled forward). */
    public int recoveryStores() {
        return recoveryStores;
    }

    /** The medium the BTT lies on. */
    public Medium medium() {
        return medium;
    }

    /** Arena {@code i} in use: its free list, read tracking and map locks (for the engine's tests). */
    Arena arena(int i) {
        return arenas.get(i);
    }

    /** The first info block of each arena, as loaded. */
    public List<InfoBlock> infoBlocks() {
        return arenas.stream().map(a -> a.found.info()).toList();
    }

    // ------------------------------------------------------------------ I/O

    /**
     * Reads whole sectors from {@code lba} on into {@code dst}.
     *
     * @throws NvdimmException EINVAL for a length that is not whole sectors or a read-only {@code dst}, ENXIO
     *     past the end or once closed, EIO for an LBA whose map carries the error flag or whose data read fails
     *     (the LBA is then marked), the medium's errno
     */
    public void read(long lba, MemorySegment dst) {
        long count = sectorsOf("read", lba, dst);
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": read into a read-only segment");
        }
        for (long i = 0; i < count; i++) {
            readSector(lba + i, dst, i * sectorSize);
        }
    }

    /**
     * Writes whole sectors from {@code lba} on, each atomically with respect to a power failure and persisted
     * when this returns.
     *
     * @throws NvdimmException EINVAL for a length that is not whole sectors, ENXIO past the end or once
     *     closed, EIO for a read-only arena or a corrupted map or free list, the medium's errno
     */
    public void write(long lba, MemorySegment src) {
        long count = sectorsOf("write", lba, src);
        for (long i = 0; i < count; i++) {
            writeSector(lba + i, src, i * sectorSize);
        }
    }

    /** Drains the medium's persistence domain (the namespace's flush): completed writes become durable. */
    public void flush() {
        checkOpen();
        medium.drain();
    }

    /** Whether {@link #close()} has not yet been called. */
    public boolean isOpen() {
        return !closed;
    }

    /** Refuses further I/O with ENXIO; the medium stays its owner's. */
    @Override
    public void close() {
        closed = true;
    }

    private long sectorsOf(String what, long lba, MemorySegment segment) {
        checkOpen();
        long bytes = segment.byteSize();
        if (bytes == 0 || bytes % sectorSize != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + what + " of " + bytes + " bytes is not a whole"
                    + " number of " + sectorSize + "-byte sectors");
        }
        long count = bytes / sectorSize;
        if (lba < 0 || lba > sectors() - count) {
            throw new NvdimmException(lba < 0 ? Errno.EINVAL : Errno.ENXIO, name + ": " + what + " of " + count
                    + " sectors at LBA " + lba + " is beyond the BTT's " + sectors() + " sectors");
        }
        return count;
    }

    private void checkOpen() {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, name + ": the BTT is closed");
        }
    }

    private Arena arenaOf(long lba) {
        int i = index.arenaOf(lba);
        if (i < 0) {
            throw new NvdimmException(Errno.EIO, name + ": LBA " + lba + " lies in no arena");
        }
        return arenas.get(i);
    }

    /** {@code btt_read_pg} for one sector. */
    private void readSector(long lba, MemorySegment dst, long dstOffset) {
        int lane = lanes.acquire();
        try {
            checkOpen();
            Arena arena = arenaOf(lba);
            long premap = lba - arena.firstLba;
            long mapAt = arena.mapEntry(premap);
            int raw = medium.readInt(mapAt);
            try {
                // publish the block in the read-tracking table, then make sure the map still names it
                while (true) {
                    MapEntry.State state = MapEntry.state(raw);
                    if (state == MapEntry.State.ZERO) {
                        MemorySegment.copy(zeros, 0, dst, dstOffset, sectorSize);
                        return;
                    }
                    if (state == MapEntry.State.ERROR) {
                        throw new NvdimmException(Errno.EIO, name + ": LBA " + lba + " has a media error ("
                                + arena.name + "'s map says so)");
                    }
                    arena.trackRead(lane, MapEntry.postMap(raw, premap));
                    int again = medium.readInt(mapAt);
                    if (again == raw) {
                        break;
                    }
                    raw = again;
                }
                long postmap = MapEntry.postMap(raw, premap);
                if (postmap >= arena.geometry.internalNlba()) {
                    throw new NvdimmException(Errno.EIO, name + ": LBA " + lba + " maps to block " + postmap
                            + " past the arena's " + arena.geometry.internalNlba() + " (" + arena.name + ")");
                }
                try {
                    medium.read(arena.dataBlock(postmap), dst, dstOffset, sectorSize);
                } catch (NvdimmException e) {
                    if (e.errno() == Errno.EIO) {
                        markError(arena, premap, postmap);
                    }
                    throw e;
                }
            } finally {
                arena.untrackRead(lane);
            }
        } finally {
            lanes.release(lane);
        }
    }

    /** A failed data read: the LBA's entry gets the error flag (reads give EIO until it is written). */
    private void markError(Arena arena, long premap, long postmap) {
        long at = arena.mapEntry(premap);
        Mutex lock = arena.mapLock(premap);
        lock.lock();
        try {
            // only if the LBA still maps there: a writer may have moved it meanwhile
            if (MapEntry.postMap(medium.readInt(at), premap) == postmap) {
                medium.writeInt(at, MapEntry.error(postmap));
                medium.persist(at, 4);
            }
        } catch (NvdimmException e) {
            // the read's EIO is what the caller must see; the map stays as it was
        } finally {
            lock.unlock();
        }
    }

    /** {@code btt_write_pg} for one sector. */
    private void writeSector(long lba, MemorySegment src, long srcOffset) {
        int lane = lanes.acquire();
        try {
            checkOpen();
            Arena arena = arenaOf(lba);
            long premap = lba - arena.firstLba;
            if (arena.readOnly) {
                throw new NvdimmException(Errno.EIO, name + ": " + arena.name + " is read-only: its info block"
                        + " carries the error flag");
            }
            long internalNlba = arena.geometry.internalNlba();
            long newPostmap = Integer.toUnsignedLong(arena.freeBlock[lane]);
            // before the block is cleared or written: a free block from a corrupt log may lie past the arena
            if (newPostmap >= internalNlba) {
                throw new NvdimmException(Errno.EIO, name + ": lane " + lane + "'s free block " + newPostmap
                        + " is past the arena's " + internalNlba + " (" + arena.name + ")");
            }
            if (!arena.freeErr[lane] && errors.isBad(arena.dataBlock(newPostmap), arena.geometry.internalLbaSize())) {
                arena.freeErr[lane] = true;
            }
            if (arena.freeErr[lane]) {
                clearFreeBlock(arena, lane);
            }
            arena.awaitReaders(newPostmap);
            long data = arena.dataBlock(newPostmap);
            order.data(medium, data, src, srcOffset, sectorSize);

            Mutex lock = arena.mapLock(premap);
            lock.lock();
            try {
                long mapAt = arena.mapEntry(premap);
                int oldRaw = medium.readInt(mapAt);
                long oldPostmap = MapEntry.postMap(oldRaw, premap);
                if (oldPostmap >= internalNlba) {
                    throw new NvdimmException(Errno.EIO, name + ": LBA " + lba + " maps to block " + oldPostmap
                            + " past the arena's " + internalNlba + " (" + arena.name + ")");
                }
                boolean oldError = MapEntry.state(oldRaw) == MapEntry.State.ERROR;
                int oldMap = (int) oldPostmap | (oldError ? MapEntry.E_FLAG : 0);
                long slot = arena.logSlot(lane, arena.freeSub[lane]);
                order.log(medium, slot, LogEntry.firstHalf((int) premap, oldMap),
                        LogEntry.secondHalf((int) newPostmap, arena.freeSeq[lane]));
                arena.advance(lane, oldMap, oldError);
                order.map(medium, mapAt, MapEntry.normal(newPostmap));
            } finally {
                lock.unlock();
            }
            if (arena.freeErr[lane]) {
                clearFreeBlock(arena, lane);
            }
        } finally {
            lanes.release(lane);
        }
    }

    /**
     * Clears the lane's bad free block before it is used ({@code arena_clear_freelist_error}): its data bytes
     * written with zeros through a write that clears bad blocks. Like a data write, it first waits out the
     * readers of the block (a reader that found it in the map before it was freed may still be copying it;
     * Linux clears without this wait, and such a reader could return zeros).
     */
    private void clearFreeBlock(Arena arena, int lane) {
        long block = Integer.toUnsignedLong(arena.freeBlock[lane]);
        arena.awaitReaders(block);
        arena.errLock.lock();
        try {
            long at = arena.dataBlock(block);
            errors.clear(medium, at, dataBytes, zeros); // the data bytes, as arena_clear_freelist_error
            arena.freeErr[lane] = false;
        } finally {
            arena.errLock.unlock();
        }
    }

    // ------------------------------------------------------------------ consistency

    /**
     * Checks what a crash must never break, on the media as they are now and the free lists in memory: every
     * map entry names a block inside its arena, and every internal block is referenced exactly once by the
     * map and the free list together (ndctl's bitmap check). Reads only; call it with no I/O in flight.
     *
     * @return the problems found, empty when consistent
     */
    public List<String> consistencyProblems() {
        List<String> problems = new ArrayList<>();
        byte[] chunk = new byte[CONSISTENCY_CHUNK * ArenaGeometry.MAP_ENTRY_SIZE];
        for (Arena a : arenas) {
            ArenaGeometry g = a.geometry;
            long n = g.internalNlba();
            java.util.BitSet seen = new java.util.BitSet((int) n);
            for (long first = 0; first < g.externalNlba(); first += CONSISTENCY_CHUNK) {
                int count = (int) Math.min(CONSISTENCY_CHUNK, g.externalNlba() - first);
                medium.read(a.mapEntry(first), chunk, 0, count * ArenaGeometry.MAP_ENTRY_SIZE); // the map in 1 MiB reads
                for (int i = 0; i < count; i++) {
                    int raw = (int) INT_LE.get(chunk, i * ArenaGeometry.MAP_ENTRY_SIZE);
                    long premap = first + i;
                    reference(problems, seen, a, MapEntry.postMap(raw, premap), n, "LBA ", a.firstLba + premap);
                }
            }
            for (int lane = 0; lane < g.nfree(); lane++) {
                reference(problems, seen, a, Integer.toUnsignedLong(a.freeBlock[lane]), n, "free block of lane ",
                        lane);
            }
            int missing = (int) n - seen.cardinality();
            if (missing > 0) {
                problems.add(a.name + ": " + missing + " internal blocks referenced by neither the map nor the"
                        + " free list, the first " + seen.nextClearBit(0));
            }
        }
        return problems;
    }

    /** Marks {@code block} referenced by {@code by + which}; the message is built only for a problem. */
    private static void reference(List<String> problems, java.util.BitSet seen, Arena a, long block, long n,
            String by, long which) {
        if (block >= n) {
            problems.add(a.name + ": " + by + which + " names block " + block + " past the arena's " + n);
        } else if (seen.get((int) block)) {
            problems.add(a.name + ": block " + block + " referenced twice, again by " + by + which);
        } else {
            seen.set((int) block);
        }
    }

    @Override
    public String toString() {
        return name + " (" + sectors() + " x " + sectorSize + " B, " + arenas.size() + " arena"
                + (arenas.size() == 1 ? "" : "s") + ")";
    }
}
