package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.bus.Errno;
import nvdimm.bus.Fletcher64;
import nvdimm.bus.NvdimmException;

/**
 * Label areas whose index lies, each row for both label versions: the free bitmap marking the live label's slot
 * free, or a garbage slot in use; {@code nslot} beyond the area or below the live label's slot. What Linux does
 * is what the index says (a free slot's bytes are not a label; an invalid slot in use is skipped; a stored nslot
 * is honoured when it fits, and an index whose nslot does not fit is invalid): the parse gives exactly that, or
 * EINVAL naming each index's problem; opening the area for edit writes nothing; and an edit of a lying but valid
 * area never writes over the slot of a label the index has in use, nor outside the area, or is refused (ENOSPC
 * naming the DIMM when the stored nslot leaves no room) with nothing written.
 */
class LyingLabelAreaTest {

    static final int K128 = 128 * 1024;
    static final UUID LIVE = UUID.fromString("11111111-2222-4333-8444-555555555555");

    /**
     * A row: how the area lies; whether the parse sees the live label, or the EINVAL problem it names; the errno
     * a new label's write fails with (nothing written), or null.
     */
    record Row(String name, BiConsumer<byte[], LabelArea> lie, boolean liveSeen, String refusal, Errno editRefusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        List<Row> rows = List.of(
                new Row("the live label's slot marked free", (area, a) -> setFree(area, a, live(a), true), false, null, null),
                new Row("a garbage slot marked in use", (area, a) -> {
                    int slot = a.freeSlots().getFirst();
                    byte[] garbage = new byte[a.geometry().labelSize()];
                    new Random(3).nextBytes(garbage);
                    System.arraycopy(garbage, 0, area, (int) a.geometry().labelOffset(slot), garbage.length);
                    setFree(area, a, slot, false);
                }, true, null, null),
                new Row("nslot beyond the area", (area, a) -> nslot(area, a, 100_000), false, "nslot 100000 does not fit", null),
                new Row("nslot below the live label's slot", (area, a) -> nslot(area, a, live(a)), false, null, Errno.ENOSPC));
        return Stream.of(LabelVersion.values()).flatMap(v -> rows.stream().map(r -> Arguments.of(v, r)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void theIndexIsWhatCountsAndNothingIsWrittenWhereItShouldNot(LabelVersion v, Row row) {
        byte[] area = new byte[K128];
        LabelAreaEditor made = LabelAreaEditor.initialize(K128, v,
                (offset, src, srcOffset, length) -> System.arraycopy(src, srcOffset, area, (int) offset, length));
        made.write(LabelAreaEditorTest.label(LIVE, "live", 0, 1 << 20), "nmem0");
        System.arraycopy(made.bytes(), 0, area, 0, K128);
        row.lie().accept(area, LabelArea.parse(area));
        byte[] before = area.clone();

        if (row.refusal() != null) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> LabelArea.parse(area));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.detail().contains("index 0 " + row.refusal()) && e.detail().contains("index 1 " + row.refusal()),
                    e.detail());
            assertThrows(NvdimmException.class, () -> LabelAreaEditor.open(area, (o, s, so, l) -> {
                throw new AssertionError("opening a refused area wrote " + l + " bytes at " + o);
            }));
            assertTrue(Arrays.equals(before, area));
            return;
        }
        LabelArea parsed = LabelArea.parse(area);
        assertEquals(row.liveSeen(), parsed.labels().stream().anyMatch(l -> l.uuid().equals(LIVE)), parsed.toString());
        assertEquals(row.liveSeen() ? 1 : 0, parsed.labels().size(), "a garbage slot was taken for a label: " + parsed);
        List<Integer> inUse = java.util.stream.IntStream.range(0, (int) parsed.geometry().nslot()).boxed()
                .filter(s -> !parsed.freeSlots().contains(s)).toList();
        LabelAreaEditor editor = LabelAreaEditor.open(area, (offset, src, srcOffset, length) -> {
            assertTrue(offset >= 0 && offset + length <= K128, "an edit wrote outside the area at " + offset);
            for (int s : inUse) {
                long at = parsed.geometry().labelOffset(s);
                assertFalse(offset < at + parsed.geometry().labelSize() && at < offset + length,
                        "an edit wrote over slot " + s + ", which the index has in use");
            }
            System.arraycopy(src, srcOffset, area, (int) offset, length);
        });
        assertTrue(Arrays.equals(before, area), "opening wrote");
        UUID other = UUID.randomUUID();
        NamespaceLabel otherLabel = LabelAreaEditorTest.label(other, "other", 1 << 20, 1 << 20);
        if (row.editRefusal() != null) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> editor.write(otherLabel, "nmem0"));
            assertEquals(row.editRefusal(), e.errno());
            assertTrue(e.getMessage().startsWith("nmem0: "), e.getMessage());
            assertTrue(Arrays.equals(before, area), "a refused write wrote");
            return;
        }
        editor.write(otherLabel, "nmem0");
        LabelArea after = LabelArea.parse(area);
        assertTrue(after.labels().stream().anyMatch(l -> l.uuid().equals(other)), after.toString());
        assertEquals(row.liveSeen(), after.labels().stream().anyMatch(l -> l.uuid().equals(LIVE)), after.toString());
    }

    static int live(LabelArea a) {
        return (int) a.labels().stream().filter(l -> l.uuid().equals(LIVE)).findFirst().orElseThrow().slot();
    }

    /** Sets or clears a slot's bit in the current index, resealed. */
    static void setFree(byte[] area, LabelArea a, int slot, boolean free) {
        int at = a.current() * a.geometry().indexSize() + IndexBlock.HEADER + slot / 8;
        area[at] = (byte) (free ? area[at] | 1 << (slot % 8) : area[at] & ~(1 << (slot % 8)));
        reseal(area, a.current() * a.geometry().indexSize(), a.geometry().indexSize());
    }

    /** Sets both index blocks' nslot, resealed. */
    static void nslot(byte[] area, LabelArea a, int nslot) {
        int size = a.geometry().indexSize();
        for (int i = 0; i < 2; i++) {
            Bytes.put32(area, i * size + 56, nslot);
            reseal(area, i * size, size);
        }
    }

    static void reseal(byte[] area, int at, int size) {
        byte[] block = Arrays.copyOfRange(area, at, at + size);
        Bytes.put64(block, IndexBlock.CHECKSUM, 0);
        Bytes.put64(area, at + IndexBlock.CHECKSUM, Fletcher64.of(block));
    }
}
