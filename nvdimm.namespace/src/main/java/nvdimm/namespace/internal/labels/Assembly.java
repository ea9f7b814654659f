package nvdimm.namespace.internal.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelGeometry;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.namespace.label.NamespaceLabel;
import nvdimm.region.Extent;
import nvdimm.region.InterleaveSetCookies;
import nvdimm.region.RegionMapping;

/**
 * What the labels of an interleave set's DIMMs make of the region, as Linux's {@code scan_labels} and
 * {@code create_namespace_pmem} (nvdimm-formats.md §3.5): pure, from the parsed areas.
 *
 * @param labeled whether mapping 0's DIMM has a valid index
 * @param version its index version (meaningful when labeled)
 * @param namespaces the sets that assemble, in the order of their position-0 labels' slots
 * @param unassembled the sets that do not, with the reason
 * @param reserved the region extents every valid label of every mapping's DIMM reserves, merged
 * @param freeSlots the fewest free slots of any DIMM, less the one kept for updates
 */
record Assembly(boolean labeled, LabelVersion version, List<LabeledNamespace> namespaces,
        List<UnassembledSet> unassembled, List<Extent> reserved, int freeSlots) {

    /** One position of the set: its mapping, its DIMM's name and label area size, the parsed area if valid. */
    record Member(RegionMapping mapping, String dimm, long areaSize, Optional<LabelArea> area) {
    }

    static Assembly labelLess() {
        return new Assembly(false, LabelVersion.V1_1, List.of(), List.of(), List.of(), 0);
    }

    /**
     * Assembles.
     *
     * @param members the mappings in position order
     * @param cookies the region's cookies
     */
    static Assembly of(List<Member> members, InterleaveSetCookies cookies) {
        if (members.isEmpty() || members.getFirst().area().isEmpty()) {
            return labelLess();
        }
        LabelArea first = members.getFirst().area().get();
        RegionMapping m0 = members.getFirst().mapping();
        Set<UUID> candidates = new LinkedHashSet<>();
        for (NamespaceLabel l : first.labels()) {
            if (inside(l, m0)) {
                candidates.add(l.uuid());
            }
        }
        List<LabeledNamespace> namespaces = new ArrayList<>();
        List<UnassembledSet> unassembled = new ArrayList<>();
        for (UUID uuid : candidates) {
            assemble(uuid, members, cookies, namespaces, unassembled);
        }
        return new Assembly(true, first.version(), namespaces, unassembled, reserved(members),
                Math.max(0, freeSlots(members, first.version()) - 1));
    }

    private static void assemble(UUID uuid, List<Member> members, InterleaveSetCookies cookies,
            List<LabeledNamespace> namespaces, List<UnassembledSet> unassembled) {
        int ways = members.size();
        String reason = null;
        long found = 0;
        NamespaceLabel head = null;
        for (int p = 0; p < ways; p++) {
            Member m = members.get(p);
            String where = "position " + p + " (" + m.dimm() + ")";
            if (m.area().isEmpty()) {
                reason = reason != null ? reason : "no valid label index for " + where;
                continue;
            }
            List<NamespaceLabel> labels = m.area().get().labels().stream().filter(l -> l.uuid().equals(uuid)).toList();
            if (labels.isEmpty()) {
                reason = reason != null ? reason : "missing label for " + where;
                continue;
            }
            NamespaceLabel l = labels.getFirst();
            found += l.rawSize();
            if (p == 0) {
                head = l;
            }
            if (reason != null) {
                continue;
            }
            LabelVersion v = m.area().get().version();
            long cookie = cookies.forLabelVersion(v.major(), v.minor());
            if (labels.size() > 1) {
                reason = labels.size() + " labels of the namespace for " + where;
            } else if (cookie == 0) {
                reason = "the interleave-set cookie is 0";
            } else if (l.isetCookie() != cookie && !(v == LabelVersion.V1_1 && l.isetCookie() == cookies.altCookie())) {
                reason = String.format("interleave-set cookie %#x of the label for %s is not the region's %#x",
                        l.isetCookie(), where, cookie);
            } else if (v == LabelVersion.V1_2 && !l.typeGuid().equals(NamespaceLabel.PMEM_TYPE_GUID)) {
                reason = "type GUID " + l.typeGuid() + " of the label for " + where + " is not persistent memory's";
            } else if (l.nlabel() != ways) {
                reason = "the label for " + where + " says nlabel " + l.nlabel() + ", the set has " + ways;
            } else if (l.position() != m.mapping().position()) {
                reason = "the label for " + where + " says position " + l.position();
            } else if (!inside(l, m.mapping())) {
                reason = "the extent of the label for " + where + " lies outside its mapping";
            } else if (head != null && p > 0 && (l.dpa() - m.mapping().dpa() != head.dpa() - members.getFirst().mapping().dpa()
                    || l.rawSize() != head.rawSize())) {
                reason = "the label for " + where + " disagrees with position 0 on offset or size";
            }
        }
        Optional<String> name = head == null || head.name().isEmpty() ? Optional.empty() : Optional.of(head.name());
        if (reason != null) {
            unassembled.add(new UnassembledSet(uuid, name, found, reason));
            return;
        }
        long offset = (head.dpa() - members.getFirst().mapping().dpa()) * ways;
        namespaces.add(new LabeledNamespace(uuid, name, offset, found, head.lbaSize(), head.abstractionGuid()));
    }

    private static boolean inside(NamespaceLabel l, RegionMapping m) {
        return l.dpa() >= m.dpa() && l.rawSize() <= m.length() && l.dpa() - m.dpa() <= m.length() - l.rawSize();
    }

    private static List<Extent> reserved(List<Member> members) {
        int ways = members.size();
        List<Extent> all = new ArrayList<>();
        for (Member m : members) {
            if (m.area().isEmpty()) {
                continue;
            }
            long start = m.mapping().dpa();
            long end = start + m.mapping().length();
            for (NamespaceLabel l : m.area().get().labels()) {
                long s = Math.max(start, l.dpa());
                long e = Math.min(end, l.dpa() + l.rawSize());
                if (l.rawSize() > 0 && l.dpa() + l.rawSize() > l.dpa() && s < e) {
                    all.add(new Extent((s - start) * ways, (e - s) * ways));
                }
            }
        }
        all.sort(Comparator.comparingLong(Extent::offset));
        List<Extent> merged = new ArrayList<>();
        for (Extent x : all) {
            if (!merged.isEmpty() && merged.getLast().end() >= x.offset()) {
                Extent last = merged.removeLast();
                merged.add(new Extent(last.offset(), Math.max(last.end(), x.end()) - last.offset()));
            } else {
                merged.add(x);
            }
        }
        return merged;
    }

    private static int freeSlots(List<Member> members, LabelVersion version) {
        int min = Integer.MAX_VALUE;
        for (Member m : members) {
            int free;
            if (m.area().isPresent()) {
                free = m.area().get().freeSlots().size();
            } else if (m.areaSize() > 0) {
                free = (int) LabelGeometry.of(m.areaSize(), version).nslot(); // initialised on first write
            } else {
                free = 0;
            }
            min = Math.min(min, free);
        }
        return min;
    }
}
