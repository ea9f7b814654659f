package nvdimm.bus.testing;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
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
 * be, and a bulk write at an offset that is not a multiple of 8 may tear even the words it fills
 * (each of them also shows the value with only its part below, or only its part above, the write's
 * misalignment new), as a copy moving 8-byte units that straddle the words would leave them. So
 * metadata written with a bulk write instead of atomic stores is caught. Treating words independently (rather than whole 64-byte cache lines) is conservative: it
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
 * <p>A recording medium made with a constructor is recorded alone; {@link CrashRecorder} records
 * several media in one log, for crash images of all of them together. Persisted images are kept
 * in 4 KiB pages shared copy-on-write, so crash points and images cost what changed, not the size.
 *
 * <p>It is thread-safe: stores, barriers and markers from several threads are logged in one
 * order, the order in which they changed the medium. Reads and the memory-model guarantees are
 * those of a {@link Media#memory memory medium}. Closing it ends the workload's access; the log
 * stays available for {@link #crashPoints(Consumer)}.
 */
public final class RecordingMedium implements Medium {

    private final CrashRecorder recorder;
    private final int index;
    private final Medium view;

    /**
     * A zero-filled medium, all of it persisted, recorded alone.
     *
     * @param size bytes, a positive multiple of 8
     * @throws NvdimmException EINVAL for another size
     */
    public RecordingMedium(String name, long size) {
        this(new CrashRecorder(Objects.requireNonNull(name, "name")), name, size, null);
    }

    /**
     * A medium that starts as a copy of {@code initial}'s content, all of it persisted, recorded
     * alone: for example a formatted or Linux-made image.
     *
     * @throws NvdimmException EINVAL when {@code initial}'s size is not a multiple of 8
     */
    public RecordingMedium(String name, Medium initial) {
        this(new CrashRecorder(Objects.requireNonNull(name, "name")), name, initial.size(), initial);
    }

    /** A medium of {@code recorder}, zero-filled or a copy of {@code initial}, all of it persisted. */
    RecordingMedium(CrashRecorder recorder, String name, long size, Medium initial) {
        Objects.requireNonNull(name, "name");
        if (size <= 0 || size % Long.BYTES != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": a recording medium needs a positive multiple of 8 bytes, not " + size);
        }
        PersistenceState state = initial == null ? PersistenceState.zero(size) : PersistenceState.of(initial);
        this.recorder = recorder;
        this.view = Media.memory(name, size);
        PagedImage image = state.persisted();
        for (int p = 0; p < image.pageCount(); p++) {
            if (!image.isZero(p)) {
                long at = (long) p << PagedImage.PAGE_SHIFT;
                view.write(at, image.page(p), 0, (int) Math.min(PagedImage.PAGE, size - at));
            }
        }
        try {
            this.index = recorder.attach(this, state);
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /** The recorder that logs this medium. */
    public CrashRecorder recorder() {
        return recorder;
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
        recorder.lock.lock();
        try {
            view.write(offset, src, off, len); // checks everything before anything is logged
            recorder.recordStore(index, offset, src, off, len, false);
        } finally {
            recorder.lock.unlock();
        }
    }

    @Override
    public void write(long offset, MemorySegment src) {
        if (src.byteSize() > Integer.MAX_VALUE) {
            throw new NvdimmException(Errno.EINVAL, name() + ": a recording medium logs stores of at most 2 GiB - 1, not "
                    + src.byteSize() + " bytes");
        }
        recorder.lock.lock();
        try {
            view.write(offset, src);
            byte[] bytes = new byte[(int) src.byteSize()];
            view.read(offset, bytes);
            recorder.recordStore(index, offset, bytes, 0, bytes.length, false);
        } finally {
            recorder.lock.unlock();
        }
    }

    @Override
    public void writeInt(long offset, int value) {
        recorder.lock.lock();
        try {
            view.writeInt(offset, value);
            byte[] bytes = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
            recorder.recordStore(index, offset, bytes, 0, Integer.BYTES, true);
        } finally {
            recorder.lock.unlock();
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        recorder.lock.lock();
        try {
            view.writeLong(offset, value);
            byte[] bytes = new byte[Long.BYTES];
            for (int i = 0; i < Long.BYTES; i++) {
                bytes[i] = (byte) (value >>> (8 * i));
            }
            recorder.recordStore(index, offset, bytes, 0, Long.BYTES, true);
        } finally {
            recorder.lock.unlock();
        }
    }

    @Override
    public void persist(long offset, long length) {
        recorder.lock.lock();
        try {
            view.persist(offset, length);
            recorder.recordPersist(index, offset, length);
        } finally {
            recorder.lock.unlock();
        }
    }

    @Override
    public void sync() {
        recorder.lock.lock();
        try {
            view.sync();
            recorder.recordSync(index);
        } finally {
            recorder.lock.unlock();
        }
    }

    /** Logs the drain; it persists nothing, so the crash images stay as they were. */
    @Override
    public void drain() {
        recorder.lock.lock();
        try {
            view.drain();
            recorder.recordDrain(index);
        } finally {
            recorder.lock.unlock();
        }
    }

    /** Closes the workload's view; the log and crash points stay available. */
    @Override
    public void close() {
        view.close();
    }

    /**
     * Puts a label into the recorder's log, naming the point the workload has reached; crash points
     * after it report it as their {@link CrashPoint#marker()} until the next marker.
     */
    public void mark(String label) {
        recorder.mark(label);
    }

    /** How many aligned 8-byte words of this medium hold stores that are not persisted yet. */
    public int pendingWords() {
        return recorder.pendingWords(index);
    }

    /** The recorder's {@link CrashRecorder#crashPoint()}. */
    public CrashPoint crashPoint() {
        return recorder.crashPoint();
    }

    /** The recorder's {@link CrashRecorder#crashPoints(Consumer)}. */
    public void crashPoints(Consumer<? super CrashPoint> visitor) {
        recorder.crashPoints(visitor);
    }

    /** This medium's log since it was last cleared, with the recorder's markers, in program order. */
    public List<MediumEvent> log() {
        return recorder.log(index);
    }

    /** The recorder's {@link CrashRecorder#clearLog()}. */
    public void clearLog() {
        recorder.clearLog();
    }
}
