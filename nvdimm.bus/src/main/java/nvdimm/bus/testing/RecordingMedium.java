package nvdimm.bus.testing;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A medium for crash tests: an in-memory pmem device that logs every store and barrier, and
 * produces the crash images a power failure could leave.
 *
 * <h2>The crash model</h2>
 * The state at any moment is a persisted image plus pending stores. A store is split into the
 * aligned 8-byte words it touches (a partial word merges into the value the word has then), and
 * each word it changes gains a pending value. {@link #persist(long, long)} persists every pending
 * word overlapping the range at its current value; {@link #sync()} persists every word;
 * {@link #drain()} persists none (it drains what is persisted, which here is durable already). A crash
 * image is the persisted image with each pending word either untouched or showing one of the
 * values it had since its last barrier, each word independently: a word's cache line may be
 * written back at any moment, in any order relative to other lines. An aligned 4- or 8-byte
 * atomic store lies within one word, so it is never torn; a bulk write of more than one word may
 * be. Treating words independently (rather than whole 64-byte cache lines) is conservative: it
 * allows every image real hardware could leave, and a few it could not.
 *
 * <p>The crash images just before each barrier include every image a failure at an earlier
 * moment since the previous barrier could leave, because pending values only accumulate until a
 * barrier. So checking the points of {@link #crashPoints(Consumer)} checks every moment of the
 * workload.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * RecordingMedium medium = new RecordingMedium("btt.img", 1 << 20);
 * format(medium); medium.sync();
 * medium.clearLog();                       // explore only what follows
 * medium.mark("write lba 5");
 * btt.write(5, newData);
 * medium.crashPoints(point -> point.forEachImage(4096, 64, 1L, image -> {
 *     byte[] sector = recover(image).read(5);
 *     assertTrue(Arrays.equals(sector, oldData) || Arrays.equals(sector, newData), image.name());
 * }));
 * }</pre>
 *
 * <p>It is thread-safe: stores, barriers and markers from several threads are logged in one
 * order, the order in which they changed the medium. Reads and the memory-model guarantees are
 * those of a {@link Media#memory memory medium}. Closing it ends the workload's access; the log
 * stays available for {@link #crashPoints(Consumer)}.
 */
public final class RecordingMedium implements Medium {

    private final Medium view;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<MediumEvent> log = new ArrayList<>();
    private final PersistenceState live;
    private PersistenceState logStart;
    private String marker = "";
    private String logStartMarker = "";

    /**
     * A zero-filled medium, all of it persisted.
     *
     * @param size bytes, a positive multiple of 8
     * @throws NvdimmException EINVAL for another size
     */
    public RecordingMedium(String name, long size) {
        this(name, size, null);
    }

    /**
     * A medium that starts as a copy of {@code initial}'s content, all of it persisted, for example
     * a formatted or Linux-made image.
     *
     * @throws NvdimmException EINVAL when {@code initial}'s size is not a multiple of 8
     */
    public RecordingMedium(String name, Medium initial) {
        this(name, initial.size(), Objects.requireNonNull(initial, "initial"));
    }

    private RecordingMedium(String name, long size, Medium initial) {
        Objects.requireNonNull(name, "name");
        if (size <= 0 || size % Long.BYTES != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": a recording medium needs a positive multiple of 8 bytes, not " + size);
        }
        view = Media.memory(name, size);
        live = PersistenceState.of(initial != null ? initial : view);
        view.write(0, live.persisted());
        logStart = live.copy();
    }

    @Override
    public String name() {
        return view.name();
    }

    @Override
    public long size() {
        return view.size();
    }

    /** Power failure: this medium models persistent memory in a platform persistence domain. */
    @Override
    public Persistence persistence() {
        return Persistence.POWER_FAILURE;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        view.read(offset, dst, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        view.read(offset, dst);
    }

    @Override
    public int readInt(long offset) {
        return view.readInt(offset);
    }

    @Override
    public long readLong(long offset) {
        return view.readLong(offset);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        lock.lock();
        try {
            view.write(offset, src, off, len); // checks everything before anything is logged
            byte[] bytes = new byte[len];
            System.arraycopy(src, off, bytes, 0, len);
            recordStore(offset, bytes, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(long offset, MemorySegment src) {
        if (src.byteSize() > Integer.MAX_VALUE) {
            throw new NvdimmException(Errno.EINVAL, name() + ": a recording medium logs stores of at most 2 GiB - 1, not "
                    + src.byteSize() + " bytes");
        }
        lock.lock();
        try {
            view.write(offset, src);
            byte[] bytes = new byte[(int) src.byteSize()];
            view.read(offset, bytes);
            recordStore(offset, bytes, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeInt(long offset, int value) {
        lock.lock();
        try {
            view.writeInt(offset, value);
            recordStore(offset, ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array(), true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        lock.lock();
        try {
            view.writeLong(offset, value);
            recordStore(offset, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void persist(long offset, long length) {
        lock.lock();
        try {
            view.persist(offset, length);
            log.add(new MediumEvent.Persist(offset, length));
            live.persist(offset, length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sync() {
        lock.lock();
        try {
            view.sync();
            log.add(new MediumEvent.Sync());
            live.persistAll();
        } finally {
            lock.unlock();
        }
    }

    /** Logs the drain; it persists nothing, so the crash images stay as they were. */
    @Override
    public void drain() {
        lock.lock();
        try {
            view.drain();
            log.add(new MediumEvent.Drain());
        } finally {
            lock.unlock();
        }
    }

    /** Closes the workload's view; the log and crash points stay available. */
    @Override
    public void close() {
        view.close();
    }

    /**
     * Puts a label into the log, naming the point the workload has reached; crash points after
     * it report it as their {@link CrashPoint#marker()} until the next marker.
     */
    public void mark(String label) {
        MediumEvent.Marker event = new MediumEvent.Marker(label);
        lock.lock();
        try {
            log.add(event);
            marker = label;
        } finally {
            lock.unlock();
        }
    }

    /** How many aligned 8-byte words hold stores that are not persisted yet. */
    public int pendingWords() {
        lock.lock();
        try {
            return live.pendingWords();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The crash images a power failure now would leave, as a point that stays valid while the
     * workload goes on. Its {@link CrashPoint#index()} is -1 and its barrier {@code "now"}.
     */
    public CrashPoint crashPoint() {
        lock.lock();
        try {
            return new CrashPoint(name(), -1, "now", marker, live.copy());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replays the log from its start and hands {@code visitor} a crash point just before every
     * barrier that follows at least one store since the previous point, and one at the end of the
     * log, in order. Together their images are every state a power failure during the logged
     * workload could leave. Each point is valid only while the visitor runs; the workload may go
     * on meanwhile without affecting the replay.
     */
    public void crashPoints(Consumer<? super CrashPoint> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        List<MediumEvent> events;
        PersistenceState state;
        String label;
        lock.lock();
        try {
            events = List.copyOf(log);
            state = logStart.copy();
            label = logStartMarker;
        } finally {
            lock.unlock();
        }
        int index = 0;
        boolean stored = false;
        for (MediumEvent event : events) {
            switch (event) {
                case MediumEvent.Store store -> {
                    state.store(store.offset(), store.bytes());
                    stored = true;
                }
                case MediumEvent.Persist persist -> {
                    if (stored) {
                        visit(visitor, new CrashPoint(name(), index++, persist.toString(), label, state));
                        stored = false;
                    }
                    state.persist(persist.offset(), persist.length());
                }
                case MediumEvent.Sync sync -> {
                    if (stored) {
                        visit(visitor, new CrashPoint(name(), index++, sync.toString(), label, state));
                        stored = false;
                    }
                    state.persistAll();
                }
                case MediumEvent.Drain drain -> {
                    // persists nothing: the images are those of the stores and barriers around it
                }
                case MediumEvent.Marker m -> label = m.label();
            }
        }
        visit(visitor, new CrashPoint(name(), index, "end of log", label, state));
    }

    /** The log since it was last cleared, in program order. */
    public List<MediumEvent> log() {
        lock.lock();
        try {
            return List.copyOf(log);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the log afresh: the present state (persisted image and pending stores) becomes where
     * {@link #crashPoints(Consumer)} replays from, so a test can set up a device and then explore
     * only the operation under test.
     */
    public void clearLog() {
        lock.lock();
        try {
            log.clear();
            logStart = live.copy();
            logStartMarker = marker;
        } finally {
            lock.unlock();
        }
    }

    private void recordStore(long offset, byte[] bytes, boolean atomic) {
        log.add(new MediumEvent.Store(offset, bytes, atomic));
        live.store(offset, bytes);
    }

    private static void visit(Consumer<? super CrashPoint> visitor, CrashPoint point) {
        try {
            visitor.accept(point);
        } finally {
            point.expire();
        }
    }
}
