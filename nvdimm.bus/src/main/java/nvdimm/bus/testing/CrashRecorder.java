package nvdimm.bus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * Records several media in one log, for crash images of all of them together: a region is several
 * DIMMs plus their label areas, and a power failure hits them at the same moment. Stores, barriers
 * and markers on any of its {@link RecordingMedium}s are logged in one order; a crash point before
 * a barrier on any medium holds what every medium has pending then, and its images
 * ({@link CrashImage}) show all media at once.
 *
 * <pre>{@code
 * CrashRecorder recorder = new CrashRecorder("region0");
 * RecordingMedium dimm0 = recorder.medium("dimm0", size), dimm1 = recorder.medium("dimm1", size);
 * format(dimm0, dimm1); recorder.clearLog();
 * recorder.mark("write lba 5"); btt.write(5, data);
 * ImagePolicy policy = ImagePolicy.sampledByDefault().exhaustive("dimm0", mapOffset, mapLength, "map");
 * recorder.crashPoints(point -> point.forEachImage(policy, 1L, image -> {
 *     Btt btt = mount(image.medium("dimm0"), image.medium("dimm1"));
 *     assertTrue(btt.read(5) is old or new data, image.name());
 * }));
 * }</pre>
 *
 * <p>Thread-safe. Crash points replay the log, so enumerating them costs one pass over it; images
 * share the persisted pages copy-on-write, so an image costs what it changes, not the media's size.
 */
public final class CrashRecorder {

    /** One log entry: an event of a medium (its index), or a marker (-1). */
    record Entry(int medium, MediumEvent event) {
    }

    private final String name;
    final ReentrantLock lock = new ReentrantLock();
    private final List<RecordingMedium> media = new ArrayList<>();
    private final List<PersistenceState> live = new ArrayList<>();
    private final List<PersistenceState> logStart = new ArrayList<>();
    private final List<Entry> log = new ArrayList<>();
    private String marker = "";
    private String logStartMarker = "";

    /** @param name names the crash points, for example the region's name */
    public CrashRecorder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    /**
     * A zero-filled recorded medium, all of it persisted.
     *
     * @param size bytes, a positive multiple of 8
     * @throws NvdimmException EINVAL for another size; EEXIST for a name already recorded here
     */
    public RecordingMedium medium(String mediumName, long size) {
        return new RecordingMedium(this, mediumName, size, null);
    }

    /**
     * A recorded medium that starts as a copy of {@code initial}'s content, all of it persisted.
     *
     * @throws NvdimmException EINVAL when {@code initial}'s size is not a multiple of 8; EEXIST for
     *     a name already recorded here
     */
    public RecordingMedium medium(String mediumName, Medium initial) {
        return new RecordingMedium(this, mediumName, initial.size(), Objects.requireNonNull(initial, "initial"));
    }

    /** Adds {@code medium}, whose persisted state is {@code state}; returns its index. */
    int attach(RecordingMedium medium, PersistenceState state) {
        lock.lock();
        try {
            for (RecordingMedium m : media) {
                if (m.name().equals(medium.name())) {
                    throw new NvdimmException(Errno.EEXIST, name + ": already records a medium " + medium.name());
                }
            }
            media.add(medium);
            live.add(state);
            logStart.add(state.copy());
            return media.size() - 1;
        } finally {
            lock.unlock();
        }
    }

    /** The recorded media, in the order they were added; the order of a {@link CrashImage}'s media. */
    public List<RecordingMedium> media() {
        lock.lock();
        try {
            return List.copyOf(media);
        } finally {
            lock.unlock();
        }
    }

    /** Puts a label into the log; crash points after it report it until the next one. */
    public void mark(String label) {
        MediumEvent.Marker event = new MediumEvent.Marker(label);
        lock.lock();
        try {
            log.add(new Entry(-1, event));
            marker = label;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the log afresh: the present state of every medium (persisted image and pending stores)
     * becomes where {@link #crashPoints(Consumer)} replays from.
     */
    public void clearLog() {
        lock.lock();
        try {
            log.clear();
            for (int i = 0; i < live.size(); i++) {
                logStart.set(i, live.get(i).copy());
            }
            logStartMarker = marker;
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
            return new CrashPoint(this, names(), -1, "now", marker, live.stream().map(PersistenceState::freeze).toList());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replays the log from its start and hands {@code visitor} a crash point just before every
     * barrier (on any medium) that follows at least one store (on any medium) since the previous
     * point, and one at the end of the log, in order. Together their images are every state a power
     * failure during the logged workload could leave. Each point is valid only while the visitor
     * runs; the workload may go on meanwhile without affecting the replay.
     */
    public void crashPoints(Consumer<? super CrashPoint> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        List<Entry> events;
        List<PersistenceState> states = new ArrayList<>();
        List<String> names;
        String label;
        lock.lock();
        try {
            events = List.copyOf(log);
            logStart.forEach(s -> states.add(s.copy()));
            names = names();
            label = logStartMarker;
        } finally {
            lock.unlock();
        }
        int index = 0;
        boolean stored = false;
        for (Entry entry : events) {
            switch (entry.event()) {
                case MediumEvent.Store store -> {
                    byte[] bytes = store.bytes();
                    states.get(entry.medium()).store(store.offset(), bytes, 0, bytes.length, store.atomic());
                    stored = true;
                }
                case MediumEvent.Persist persist -> {
                    if (stored) {
                        visit(visitor, point(names, index++, barrier(names, entry), label, states));
                        stored = false;
                    }
                    states.get(entry.medium()).persist(persist.offset(), persist.length());
                }
                case MediumEvent.Sync sync -> {
                    if (stored) {
                        visit(visitor, point(names, index++, barrier(names, entry), label, states));
                        stored = false;
                    }
                    states.get(entry.medium()).persistAll();
                }
                case MediumEvent.Drain drain -> {
                    // persists nothing: the images are those of the stores and barriers around it
                }
                case MediumEvent.Marker m -> label = m.label();
            }
        }
        visit(visitor, point(names, index, "end of log", label, states));
    }

    private CrashPoint point(List<String> names, int index, String barrier, String label, List<PersistenceState> states) {
        return new CrashPoint(this, names, index, barrier, label, states.stream().map(PersistenceState::freeze).toList());
    }

    /** The barrier as a point names it: with the medium's name when there are several. */
    private static String barrier(List<String> names, Entry entry) {
        return names.size() == 1 ? entry.event().toString() : names.get(entry.medium()) + " " + entry.event();
    }

    private List<String> names() {
        return media.stream().map(RecordingMedium::name).toList();
    }

    private static void visit(Consumer<? super CrashPoint> visitor, CrashPoint point) {
        try {
            visitor.accept(point);
        } finally {
            point.expire();
        }
    }

    // ------------------------------------------------------------------ for RecordingMedium, under the lock

    /** Logs a store of {@code bytes[off .. off+len)} by medium {@code index}. */
    void recordStore(int index, long offset, byte[] bytes, int off, int len, boolean atomic) {
        byte[] copy = new byte[len];
        System.arraycopy(bytes, off, copy, 0, len);
        log.add(new Entry(index, new MediumEvent.Store(offset, copy, atomic)));
        live.get(index).store(offset, bytes, off, len, atomic);
    }

    void recordPersist(int index, long offset, long length) {
        log.add(new Entry(index, new MediumEvent.Persist(offset, length)));
        live.get(index).persist(offset, length);
    }

    void recordSync(int index) {
        log.add(new Entry(index, new MediumEvent.Sync()));
        live.get(index).persistAll();
    }

    void recordDrain(int index) {
        log.add(new Entry(index, new MediumEvent.Drain()));
    }

    /** The log entries of medium {@code index} and the markers, in order. */
    List<MediumEvent> log(int index) {
        lock.lock();
        try {
            return log.stream().filter(e -> e.medium() == index || e.medium() < 0).map(Entry::event).toList();
        } finally {
            lock.unlock();
        }
    }

    int pendingWords(int index) {
        lock.lock();
        try {
            return live.get(index).pendingWords();
        } finally {
            lock.unlock();
        }
    }
}
