package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;

import nvdimm.bus.Fletcher64;
import nvdimm.bus.NvdimmException;

/**
 * Jazzer fuzz tests of the label area readers: a whole area parsed ({@link LabelArea#parse}: both index blocks,
 * the free bitmap, every label in use) and edited ({@link LabelAreaEditor}: open, delete, update, write). The
 * only clean failure is an {@link NvdimmException} with an errno and a message; any other exception, an edit
 * writing outside the area or a parse result that contradicts the bytes is a finding.
 *
 * <p>Each input runs as it is and once more with its checksums resealed (both index blocks under both label
 * sizes, every v1.2 slot), so mutations reach what lies behind the checksums. Seeds
 * ({@code LabelAreaFuzzTestInputs/}): the first 4 KiB of the two Linux-made label areas of
 * {@code nvdimm/namespace/label/}, as cut and with {@code nslot} fitted to 4 KiB and resealed. Without
 * {@code JAZZER_FUZZ=1} only the seeds run (the CI run); with it one method at a time ({@code -Dtest=LabelAreaFuzzTest#parse}) fuzzes for 10⁶ executions or 10 minutes, whichever comes first.
 */
class LabelAreaFuzzTest {

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void parse(byte[] area) {
        parseOne(area);
        parseOne(resealed(area));
    }

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void edit(byte[] area) {
        editOne(area);
        editOne(resealed(area));
    }

    private static void parseOne(byte[] area) {
        byte[] before = area.clone();
        LabelArea parsed;
        try {
            parsed = LabelArea.parse(area);
        } catch (NvdimmException e) {
            clean(e);
            return;
        }
        assertTrue(Arrays.equals(before, area), "parse changed its input");
        assertTrue(parsed.current() == 0 || parsed.current() == 1);
        long nslot = parsed.geometry().nslot();
        assertTrue(nslot * parsed.geometry().labelSize() + parsed.geometry().labelBase() <= area.length,
                "nslot " + nslot + " was accepted beyond the area's " + area.length + " bytes");
        for (NamespaceLabel l : parsed.labels()) {
            assertTrue(l.slot() >= 0 && l.slot() < nslot, "label in slot " + l.slot() + " of " + nslot);
            assertFalse(parsed.freeSlots().contains((int) l.slot()), "slot " + l.slot() + " is free and in use");
            assertTrue(parsed.label(l.slot()).isPresent());
        }
        assertTrue(LabelArea.tryParse(area).isPresent());
    }

    private static void editOne(byte[] area) {
        LabelAreaEditor editor;
        try {
            editor = LabelAreaEditor.open(area, (offset, src, srcOffset, length) -> {
                assertTrue(offset >= 0 && length >= 0 && offset + length <= area.length,
                        "an edit wrote " + length + " bytes at " + offset + " of a " + area.length + "-byte area");
                assertTrue(srcOffset >= 0 && srcOffset + length <= src.length);
            });
        } catch (NvdimmException e) {
            clean(e);
            return;
        }
        LabelArea parsed = editor.area();
        Optional<NamespaceLabel> first = parsed.labels().stream().findFirst();
        try {
            if (first.isPresent()) {
                NamespaceLabel l = first.get();
                editor.update(l);
                editor.delete(l.uuid());
            }
            UUID uuid = new UUID(0x1234, 0x5678);
            editor.requireSpaceFor(uuid, "namespace0.0");
            if (parsed.labels().isEmpty()) {
                return;
            }
            NamespaceLabel template = parsed.labels().getFirst();
            editor.write(new NamespaceLabel(uuid, "fuzz", template.flags(), template.nlabel(), template.position(),
                    template.isetCookie(), template.lbaSize(), template.dpa(), template.rawSize(), 0,
                    template.align(), template.typeGuid(), template.abstractionGuid()), "namespace0.0");
            assertTrue(editor.has(uuid));
            assertNotNull(LabelArea.parse(editor.bytes()));
        } catch (NvdimmException e) {
            clean(e);
        }
    }

    /** The stack's clean error: an errno and a message. */
    static void clean(NvdimmException e) {
        assertNotNull(e.errno(), "an NvdimmException without errno");
        assertTrue(e.detail() != null && !e.detail().isBlank(), "an NvdimmException without a message");
    }

    /** A copy with both index blocks resealed under both label sizes' geometry and every v1.2 slot resealed. */
    static byte[] resealed(byte[] area) {
        byte[] out = area.clone();
        for (LabelVersion v : LabelVersion.values()) {
            LabelGeometry g;
            try {
                g = LabelGeometry.of(out.length, v);
            } catch (NvdimmException e) {
                continue;
            }
            int size = g.indexSize();
            for (int i = 0; i < 2; i++) {
                int at = i * size;
                if (at + size > out.length) {
                    continue;
                }
                byte[] block = Arrays.copyOfRange(out, at, at + size);
                Bytes.put64(block, IndexBlock.CHECKSUM, 0);
                Bytes.put64(out, at + IndexBlock.CHECKSUM, Fletcher64.of(block));
            }
            if (v == LabelVersion.V1_2) {
                for (long s = 0; s < g.nslot(); s++) {
                    int at = (int) g.labelOffset(s);
                    byte[] label = Arrays.copyOfRange(out, at, at + v.labelSize());
                    Bytes.put64(label, NamespaceLabel.CHECKSUM, 0);
                    Bytes.put64(out, at + NamespaceLabel.CHECKSUM, Fletcher64.of(label));
                }
            }
        }
        return out;
    }
}
