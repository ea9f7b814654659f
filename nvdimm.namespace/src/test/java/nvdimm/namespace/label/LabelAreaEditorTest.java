package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabelAreaEditorTest {

    static final int K128 = 128 * 1024;

    /** The media, and every write in order as "label N" or "index N". */
    static final class Media implements LabelAreaEditor.Writer {
        final byte[] bytes;
        final List<String> writes = new ArrayList<>();
        int indexSize;

        Media(int size) {
            bytes = new byte[size];
        }

        @Override
        public void write(long offset, byte[] src, int srcOffset, int length) {
            System.arraycopy(src, srcOffset, bytes, (int) offset, length);
            writes.add(offset < 2L * indexSize ? "index " + offset / indexSize : "label " + length);
        }
    }

    static NamespaceLabel label(UUID uuid, String name, long dpa, long rawSize) {
        return new NamespaceLabel(uuid, name, 0, 1, 0, LabelFixtures.QEMU0_COOKIE2, 512, dpa, rawSize, 0, 0,
                NamespaceLabel.PMEM_TYPE_GUID, NamespaceLabel.NULL_GUID);
    }

    static Media media(LabelVersion v) {
        Media m = new Media(K128);
        m.indexSize = LabelGeometry.of(K128, v).indexSize();
        return m;
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void createWritesTwoPassesEachLabelThenIndex(LabelVersion v) {
        Media m = media(v);
        LabelAreaEditor e = LabelAreaEditor.initialize(K128, v, m);
        assertEquals(List.of("index 0", "index 1"), m.writes);
        m.writes.clear();
        UUID a = UUID.randomUUID();
        e.write(label(a, "a", 0, 1 << 20), "nmem0");
        int ls = v.labelSize();
        assertEquals(List.of("label " + ls, "index 1", "label " + ls, "index 0"), m.writes);
        LabelArea parsed = LabelArea.parse(m.bytes);
        assertEquals(0, parsed.current());
        assertEquals(2, parsed.currentIndex().seq()); // init: index 0 seq 3; pass 1: index 1 seq 1; pass 2: index 0 seq 2
        NamespaceLabel l = parsed.labels().getFirst();
        assertEquals(1, l.slot()); // pass 1 took slot 0, pass 2 slot 1 and freed 0
        assertEquals(0, l.flags());
        assertEquals("a", l.name());
        assertTrue(parsed.freeSlots().contains(0));
        assertArrayEquals(m.bytes, e.bytes());
        assertEquals(parsed, e.area());
    }

    @Test
    void updatingReplacesTheLabelAndKeepsTheCount() {
        Media m = media(LabelVersion.V1_2);
        LabelAreaEditor e = LabelAreaEditor.initialize(K128, LabelVersion.V1_2, m);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        e.write(label(a, "a", 0, 4096), "nmem0");
        e.write(label(b, "b", 4096, 4096), "nmem0");
        e.write(label(a, "a2", 0, 8192), "nmem0");
        LabelArea parsed = LabelArea.parse(m.bytes);
        assertEquals(2, parsed.labels().size());
        assertEquals(java.util.Set.of("b", "a2"), parsed.labels().stream().map(NamespaceLabel::name).collect(java.util.stream.Collectors.toSet()));
        assertEquals(508, parsed.freeSlots().size());
        assertTrue(e.delete(a));
        assertFalse(e.delete(a));
        assertEquals(List.of("b"), LabelArea.parse(m.bytes).labels().stream().map(NamespaceLabel::name).toList());
    }

    @Test
    void sequenceNumbersCycleAndTheNewerIndexWins() {
        Media m = media(LabelVersion.V1_1);
        LabelAreaEditor e = LabelAreaEditor.initialize(K128, LabelVersion.V1_1, m);
        UUID a = UUID.randomUUID();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            e.update(label(a, "a" + i, 0, 4096));
            seqs.add(LabelArea.parse(m.bytes).currentIndex().seq());
        }
        assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L), seqs);
        assertEquals("a5", LabelArea.parse(m.bytes).labels().getFirst().name());
    }

    @Test
    void oneSlotStaysFreeForUpdates() {
        Media m = media(LabelVersion.V1_2);
        LabelAreaEditor e = LabelAreaEditor.initialize(K128, LabelVersion.V1_2, m);
        for (int i = 0; i < 509; i++) {
            e.write(label(UUID.randomUUID(), "n" + i, 4096L * i, 4096), "nmem0");
        }
        assertEquals(1, e.freeSlots());
        byte[] before = m.bytes.clone();
        NvdimmException x = assertThrows(NvdimmException.class,
                () -> e.write(label(UUID.randomUUID(), "full", 0, 4096), "nmem0"));
        assertEquals(Errno.ENOSPC, x.errno());
        assertTrue(x.getMessage().startsWith("nmem0: 1 free label slot, 2 needed"), x.getMessage());
        assertArrayEquals(before, m.bytes);
        NamespaceLabel first = LabelArea.parse(m.bytes).labels().getFirst();
        e.write(label(first.uuid(), "renamed", first.dpa(), first.rawSize()), "nmem0");
        assertEquals(1, e.freeSlots());
        assertTrue(LabelArea.parse(m.bytes).labels().stream().anyMatch(l -> l.name().equals("renamed")));
    }

    @Test
    void openingALinuxAreaAndUpdatingItKeepsItsGeometry() {
        Media m = new Media(K128);
        System.arraycopy(LabelFixtures.linuxV12(), 0, m.bytes, 0, K128);
        m.indexSize = 256;
        LabelAreaEditor e = LabelAreaEditor.open(m.bytes, m);
        NamespaceLabel l = e.area().labels().getFirst();
        e.write(l.withSlot(0), "nmem0");
        LabelArea after = LabelArea.parse(m.bytes);
        assertEquals(1, after.labels().size());
        assertEquals(l.withSlot(after.labels().getFirst().slot()), after.labels().getFirst());
        assertEquals(510, after.geometry().nslot());
    }

    @Test
    void aWriterFailureLeavesTheEditorAsBefore() {
        Media m = media(LabelVersion.V1_2);
        LabelAreaEditor e = LabelAreaEditor.initialize(K128, LabelVersion.V1_2, m);
        UUID a = UUID.randomUUID();
        e.write(label(a, "a", 0, 4096), "nmem0");
        LabelArea before = e.area();
        LabelAreaEditor failing = LabelAreaEditor.open(m.bytes, (off, src, o, len) -> {
            throw new NvdimmException(Errno.ENOMEM, "nmem0: provider out of memory");
        });
        NvdimmException x = assertThrows(NvdimmException.class, () -> failing.write(label(a, "b", 0, 4096), "nmem0"));
        assertEquals(Errno.ENOMEM, x.errno());
        assertEquals(before, failing.area());
    }
}
