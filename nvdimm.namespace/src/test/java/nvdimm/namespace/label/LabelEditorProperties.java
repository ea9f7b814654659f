package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of create, update (reconfigure) and destroy never leave an invalid area: after every
 * operation the bytes on the media parse, hold exactly the model's namespaces, one label each, and every
 * other slot free. A small area (few slots) makes ENOSPC part of the sequences; a refused operation changes
 * nothing.
 */
class LabelEditorProperties {

    static final UUID[] POOL = new UUID[8];

    static {
        for (int i = 0; i < POOL.length; i++) {
            POOL[i] = new UUID(0x1000 + i, 0x2000 + i);
        }
    }

    /** An operation: write (create or update) namespace k with a size and name, or delete it. */
    record Op(boolean write, int k, int pages, String name) {
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 64), Arbitraries.strings().alpha().ofMaxLength(12)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void sequencesNeverLeaveAnInvalidArea(@ForAll("sequences") List<Op> ops, @ForAll boolean v12) {
        LabelVersion v = v12 ? LabelVersion.V1_2 : LabelVersion.V1_1;
        // the smallest area that holds 6 slots of v1.2 or 12 of v1.1 labels, so ENOSPC comes up
        int size = 2 * 256 + 6 * 256;
        byte[] media = new byte[size];
        LabelAreaEditor e = LabelAreaEditor.initialize(size, v, (off, src, o, len) -> System.arraycopy(src, o, media, (int) off, len));
        long nslot = e.area().geometry().nslot();
        Map<UUID, NamespaceLabel> model = new HashMap<>();
        for (Op op : ops) {
            UUID uuid = POOL[op.k()];
            byte[] before = media.clone();
            if (op.write()) {
                NamespaceLabel l = new NamespaceLabel(uuid, op.name(), 0, 1, 0, 7, 512, 4096L * op.k() * 64,
                        4096L * op.pages(), 0, 0, v12 ? NamespaceLabel.PMEM_TYPE_GUID : NamespaceLabel.NULL_GUID,
                        NamespaceLabel.NULL_GUID);
                int need = model.containsKey(uuid) ? 1 : 2;
                long free = nslot - model.size();
                try {
                    e.write(l, "nmem0");
                    assertTrue(free >= need, "wrote with " + free + " free slots");
                    model.put(uuid, l);
                } catch (NvdimmException x) {
                    assertEquals(Errno.ENOSPC, x.errno());
                    assertTrue(free < need);
                    assertTrue(java.util.Arrays.equals(before, media), "a refused write changed the media");
                }
            } else {
                e.delete(uuid);
                model.remove(uuid);
            }
            LabelArea a = LabelArea.parse(media);
            assertEquals(model.size(), a.labels().size());
            assertEquals(nslot - model.size(), a.freeSlots().size());
            for (NamespaceLabel l : a.labels()) {
                NamespaceLabel m = model.get(l.uuid());
                assertEquals(m.withSlot(l.slot()), l);
            }
            assertEquals(a, e.area());
        }
    }
}
