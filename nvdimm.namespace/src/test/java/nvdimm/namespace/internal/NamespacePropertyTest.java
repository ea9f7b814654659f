package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.internal.labels.LabeledNamespace;
import nvdimm.region.Region;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of create, destroy, reconfigure, disable and enable on a real core: the labels never
 * overlap, the region's available size is its size less what the labels hold, the listing matches the
 * labels, there is always exactly one seed, and every refusal is ENOSPC for lack of room.
 */
class NamespacePropertyTest extends NamespaceTestBase {

    /** One step: {@code kind} 0 create, 1 destroy, 2 reconfigure (resize), 3 disable, 4 enable. */
    record Op(int kind, int target, int mib) {
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 24)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 40)
    void labelsNeverOverlapAndCapacityFollowsThem(@ForAll("sequences") List<Op> ops) {
        try {
            start(standardBus());
            for (Op op : ops) {
                apply(op);
                check(op);
            }
            assertClean();
        } finally {
            stop();
            buses.clear();
            labels.areas.clear();
            core = null;
        }
    }

    private List<NamespaceInfo> made() {
        return namespaces.list().stream().filter(i -> i.region().equals("region0") && !i.seed()).toList();
    }

    private void apply(Op op) {
        List<NamespaceInfo> made = made();
        NamespaceInfo target = made.isEmpty() ? null : made.get(op.target() % made.size());
        long size = op.mib() * MIB;
        try {
            switch (op.kind()) {
                case 0 -> namespaces.create(spec("region0", size));
                case 1 -> {
                    if (target != null) {
                        namespaces.destroy(target.dev(), true);
                    }
                }
                case 2 -> {
                    if (target != null) {
                        namespaces.reconfigure(target.dev(), spec(null, size), true);
                    }
                }
                case 3 -> {
                    if (target != null) {
                        namespaces.disable(target.dev());
                    }
                }
                default -> {
                    if (target != null) {
                        namespaces.enable(target.dev());
                    }
                }
            }
        } catch (NvdimmException e) {
            assertEquals(Errno.ENOSPC, e.errno(), () -> op + ": " + e.getMessage());
        }
    }

    private void check(Op op) {
        List<LabeledNamespace> held = new ArrayList<>(labels.labeled("region0").namespaces.values());
        held.sort(Comparator.comparingLong(LabeledNamespace::regionOffset));
        long used = 0;
        long end = 0;
        for (LabeledNamespace n : held) {
            assertTrue(n.regionOffset() >= end, () -> op + ": overlap in " + held);
            end = n.regionOffset() + n.size();
            used += n.size();
        }
        Region r = region("region0");
        assertTrue(end <= r.size(), () -> op + ": past the region: " + held);
        assertEquals(r.size() - used, r.availableSize(), op::toString);
        List<NamespaceInfo> made = made();
        assertEquals(held.size(), made.size(), op::toString);
        assertEquals(held.stream().map(n -> n.uuid()).sorted().toList(),
                made.stream().map(i -> i.uuid().orElseThrow()).sorted().toList(), op::toString);
        assertEquals(1, namespaces.list().stream().filter(NamespaceInfo::seed).count(), op::toString);
        assertEquals(List.of(), labels.violations);
    }
}
