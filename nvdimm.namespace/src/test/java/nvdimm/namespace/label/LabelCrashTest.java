package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import nvdimm.bus.Medium;
import nvdimm.bus.testing.ImagePolicy;
import nvdimm.bus.testing.RecordingMedium;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash between any two label writes leaves the old or the new set of namespaces: the label area on a
 * recording medium (each write persisted, as Set Label Data is durable when it returns), every crash image
 * of create, update and delete parsed. The index blocks' words are enumerated exhaustively, the label
 * slots' sampled. The negative controls run the same checker on writers that break the engine's order.
 */
class LabelCrashTest {

    static final int K128 = 128 * 1024;

    /** What a label says about its namespace, without its slot and flags (UPDATING is not checked on read). */
    record Entry(UUID uuid, String name, long dpa, long rawSize, long lbaSize, UUID abstraction) {
        static Entry of(NamespaceLabel l) {
            return new Entry(l.uuid(), l.name(), l.dpa(), l.rawSize(), l.lbaSize(), l.abstractionGuid());
        }
    }

    static Set<Entry> set(LabelArea area) {
        Set<Entry> s = new HashSet<>();
        area.labels().forEach(l -> s.add(Entry.of(l)));
        return s;
    }

    static NamespaceLabel label(UUID uuid, String name, long dpa, long rawSize) {
        return new NamespaceLabel(uuid, name, 0, 1, 0, 0x1234, 512, dpa, rawSize, 0, 0, NamespaceLabel.PMEM_TYPE_GUID,
                NamespaceLabel.NULL_GUID);
    }

    /** A writer that persists each write, as the DIMM command path does. */
    static LabelAreaEditor.Writer persisting(RecordingMedium m) {
        return (off, src, o, len) -> {
            m.write(off, src, o, len);
            m.persist(off, len);
        };
    }

    /** The operations run, each checked on its own: old set before, new set after. */
    static List<Consumer<LabelAreaEditor>> operations(UUID a, UUID b, UUID c) {
        return List.of(
                e -> e.write(label(a, "a", 0, 1 << 20), "nmem0"),
                e -> e.write(label(b, "b", 1 << 20, 1 << 20), "nmem0"),
                e -> e.write(label(a, "a renamed and grown", 0, 2 << 20), "nmem0"),
                e -> e.delete(b),
                e -> e.write(label(c, "c", 4 << 20, 1 << 20), "nmem0"),
                e -> e.delete(a),
                e -> e.delete(c));
    }

    /**
     * Runs the operations through {@code writer} on a fresh area and checks every crash image of each; returns how
     * many images were checked.
     */
    static long explore(LabelVersion version, java.util.function.Function<RecordingMedium, LabelAreaEditor.Writer> writer) {
        RecordingMedium medium = new RecordingMedium("labels", K128);
        LabelAreaEditor editor = LabelAreaEditor.initialize(K128, version, persisting(medium));
        LabelAreaEditor.Writer w = writer.apply(medium);
        editor = LabelAreaEditor.open(editor.bytes(), w);
        int indexBytes = 2 * LabelGeometry.of(K128, version).indexSize();
        ImagePolicy policy = ImagePolicy.sampledByDefault().exhaustive("labels", 0, indexBytes, "index").samples(6);
        long[] images = {0};
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        for (Consumer<LabelAreaEditor> op : operations(a, b, c)) {
            medium.sync();
            medium.clearLog();
            Set<Entry> before = set(LabelArea.parse(read(medium)));
            op.accept(editor);
            if (w instanceof Deferring d) {
                d.flush();
            }
            medium.sync();
            Set<Entry> after = set(LabelArea.parse(read(medium)));
            medium.crashPoints(point -> point.forEachImage(policy, 42, image -> {
                images[0]++;
                Set<Entry> found;
                try {
                    found = set(LabelArea.parse(read(image.medium("labels"))));
                } catch (RuntimeException x) {
                    throw new AssertionError("unparseable image: " + x.getMessage(), x);
                }
                assertTrue(found.equals(before) || found.equals(after),
                        () -> "third state " + found + "\n old " + before + "\n new " + after);
            }));
        }
        return images[0];
    }

    static byte[] read(Medium m) {
        byte[] b = new byte[(int) m.size()];
        m.read(0, b, 0, b.length);
        return b;
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void everyCrashImageHoldsTheOldOrTheNewSet(LabelVersion version) {
        long images = explore(version, LabelCrashTest::persisting);
        assertTrue(images > 50, "only " + images + " images");
    }

    /** A writer that holds label writes back until after the next index write: the index lands first. */
    static final class Deferring implements LabelAreaEditor.Writer {
        private final RecordingMedium medium;
        private final long labelBase;
        private final List<Object[]> held = new ArrayList<>();

        Deferring(RecordingMedium medium, long labelBase) {
            this.medium = medium;
            this.labelBase = labelBase;
        }

        @Override
        public void write(long offset, byte[] src, int srcOffset, int length) {
            byte[] copy = java.util.Arrays.copyOfRange(src, srcOffset, srcOffset + length);
            if (offset >= labelBase) {
                held.add(new Object[] {offset, copy});
                return;
            }
            medium.write(offset, copy, 0, length);
            medium.persist(offset, length);
            flush();
        }

        void flush() {
            for (Object[] h : held) {
                byte[] b = (byte[]) h[1];
                medium.write((long) h[0], b, 0, b.length);
                medium.persist((long) h[0], b.length);
            }
            held.clear();
        }
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void negativeControlIndexBeforeLabelIsCaught(LabelVersion version) {
        long base = 2L * LabelGeometry.of(K128, version).indexSize();
        AssertionError e = assertThrows(AssertionError.class, () -> explore(version, m -> new Deferring(m, base)));
        assertTrue(e.getMessage().contains("third state"), e.getMessage());
    }

    /** Writes without a barrier between label and index: only the operation's end persists. */
    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void negativeControlNoBarrierBetweenLabelAndIndexIsCaught(LabelVersion version) {
        AssertionError e = assertThrows(AssertionError.class,
                () -> explore(version, m -> (off, src, o, len) -> m.write(off, src, o, len)));
        assertTrue(e.getMessage().contains("third state") || e.getMessage().contains("unparseable image"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void theLastImageIsTheNewSet(LabelVersion version) {
        RecordingMedium medium = new RecordingMedium("labels", K128);
        LabelAreaEditor editor = LabelAreaEditor.initialize(K128, version, persisting(medium));
        editor.write(label(UUID.randomUUID(), "x", 0, 4096), "nmem0");
        assertEquals(set(editor.area()), set(LabelArea.parse(read(medium))));
    }
}
