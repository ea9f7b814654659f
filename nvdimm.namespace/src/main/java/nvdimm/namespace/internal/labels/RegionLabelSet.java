package nvdimm.namespace.internal.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreaEditor;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.namespace.label.NamespaceLabel;
import nvdimm.region.Extent;
import nvdimm.region.InterleaveSetCookies;
import nvdimm.region.Region;
import nvdimm.region.RegionMapping;

/**
 * The labels of one region's interleave set, read through the DIMMs' label commands under the bus's
 * reconfiguration lock, and written back as Linux writes them ({@code nd_pmem_namespace_label_update}):
 * the first pass (UPDATING) on every DIMM in position order, then the second on every DIMM. The state is
 * an immutable snapshot replaced after each change, so readers need no lock.
 */
final class RegionLabelSet implements RegionLabels {

    private final Region region;
    private volatile Assembly assembly;

    RegionLabelSet(Region region) {
        this.region = Objects.requireNonNull(region, "region");
        try (BusReconfiguration r = region.bus().lockReconfiguration()) {
            assembly = assemble(members());
        }
    }

    @Override
    public boolean labeled() {
        return assembly.labeled();
    }

    @Override
    public String version() {
        return assembly.version().text();
    }

    @Override
    public List<LabeledNamespace> namespaces() {
        return assembly.namespaces();
    }

    @Override
    public List<UnassembledSet> unassembled() {
        return assembly.unassembled();
    }

    @Override
    public List<Extent> reserved() {
        return assembly.reserved();
    }

    @Override
    public int freeSlots() {
        return assembly.freeSlots();
    }

    @Override
    public void write(LabeledNamespace ns) {
        Objects.requireNonNull(ns, "namespace");
        try (BusReconfiguration r = region.bus().lockReconfiguration()) {
            r.waitProbeIdle(); // then no probe starts while we hold the lock, and no label write waits
            List<Assembly.Member> members = members();
            Assembly now = assemble(members);
            if (!now.labeled()) {
                throw new NvdimmException(Errno.ENXIO, region.name() + ": label-less (no valid label index on "
                        + (members.isEmpty() ? "any DIMM" : members.getFirst().dimm()) + "), no labels to write");
            }
            int ways = members.size();
            checkPlacement(ns, members, ways);
            List<LabelAreaEditor> editors = editors(members, now.version());
            List<NamespaceLabel> labels = new ArrayList<>();
            InterleaveSetCookies cookies = region.cookies().orElseThrow();
            for (int p = 0; p < ways; p++) {
                RegionMapping m = members.get(p).mapping();
                LabelVersion v = editors.get(p) == null ? now.version() : editors.get(p).version();
                boolean v12 = v == LabelVersion.V1_2;
                labels.add(new NamespaceLabel(ns.uuid(), ns.name().orElse(""), 0, ways, m.position(),
                        cookies.forLabelVersion(v.major(), v.minor()), ns.lbaSize(), m.dpa() + ns.regionOffset() / ways,
                        ns.size() / ways, 0, 0, v12 ? NamespaceLabel.PMEM_TYPE_GUID : NamespaceLabel.NULL_GUID,
                        v12 ? ns.abstractionGuid() : NamespaceLabel.NULL_GUID));
                if (editors.get(p) != null) {
                    editors.get(p).requireSpaceFor(ns.uuid(), members.get(p).dimm());
                }
            }
            for (int p = 0; p < ways; p++) {
                if (editors.get(p) == null) { // a DIMM of the set without an index yet: as the kernel's init_labels
                    Dimm dimm = dimm(members.get(p));
                    editors.set(p, LabelAreaEditor.initialize(dimm.labelAreaSize(), now.version(), DimmLabelIo.writer(dimm)));
                }
            }
            try {
                for (int pass = 0; pass < 2; pass++) {
                    for (int p = 0; p < ways; p++) {
                        NamespaceLabel l = labels.get(p);
                        editors.get(p).update(pass == 0 ? l.withFlags(NamespaceLabel.FLAG_UPDATING) : l);
                    }
                }
            } finally {
                refresh();
            }
        }
    }

    /** Reads the DIMMs again; after a failed write, a failure to read is left to the next reader. */
    private void refresh() {
        try {
            assembly = assemble(members());
        } catch (NvdimmException e) {
            assembly = Assembly.labelLess();
            throw e;
        }
    }

    @Override
    public void delete(UUID uuid) {
        Objects.requireNonNull(uuid, "uuid");
        try (BusReconfiguration r = region.bus().lockReconfiguration()) {
            r.waitProbeIdle();
            List<Assembly.Member> members = members();
            // Highest position first, position 0 last: a delete cut short between DIMMs (a killed process) leaves
            // the position-0 label, so the rest of the set is still found (listed with its reason, destroyed again).
            // In Linux's order, position 0 first, it would leave labels that no listing shows, holding their
            // capacity for good.
            for (Assembly.Member m : members.reversed()) {
                if (m.area().isPresent() && m.area().get().labels().stream().anyMatch(l -> l.uuid().equals(uuid))) {
                    Dimm dimm = dimm(m);
                    try {
                        LabelAreaEditor.open(DimmLabelIo.read(dimm), DimmLabelIo.writer(dimm)).delete(uuid);
                    } finally {
                        refresh();
                    }
                }
            }
            refresh();
        }
    }

    /** Refuses a namespace that does not fall on the DIMMs in whole 4 KiB parts inside every mapping. */
    private void checkPlacement(LabeledNamespace ns, List<Assembly.Member> members, int ways) {
        long per = ns.size() / ways;
        long at = ns.regionOffset() / ways;
        String problem = null;
        if (ns.size() <= 0 || ns.regionOffset() < 0) {
            problem = "size " + ns.size() + " at offset " + ns.regionOffset() + " is no extent";
        } else if (ns.size() % ways != 0 || ns.regionOffset() % ways != 0
                || ((per | at) & (LabelArea.LABEL_ALIGN - 1)) != 0) {
            problem = "size " + ns.size() + " at offset " + ns.regionOffset() + " does not split into "
                    + LabelArea.LABEL_ALIGN + "-byte aligned parts over " + ways + " DIMM" + (ways == 1 ? "" : "s");
        } else {
            for (Assembly.Member m : members) {
                if (at > m.mapping().length() - per) {
                    problem = "size " + ns.size() + " at offset " + ns.regionOffset() + " reaches beyond the mapping on "
                            + m.dimm();
                    break;
                }
            }
        }
        if (problem != null) {
            throw new NvdimmException(Errno.EINVAL, region.name() + ": namespace " + ns.uuid() + ": " + problem);
        }
    }

    private List<LabelAreaEditor> editors(List<Assembly.Member> members, LabelVersion version) {
        List<LabelAreaEditor> editors = new ArrayList<>();
        for (Assembly.Member m : members) {
            if (m.areaSize() <= 0) {
                throw new NvdimmException(Errno.ENXIO, region.name() + ": " + m.dimm() + " has no label area");
            }
            Dimm dimm = dimm(m);
            editors.add(m.area().isPresent() ? LabelAreaEditor.open(DimmLabelIo.read(dimm), DimmLabelIo.writer(dimm)) : null);
        }
        return editors;
    }

    private Dimm dimm(Assembly.Member m) {
        return DimmLabelIo.dimm(region.bus(), m.dimm());
    }

    /** Reads every mapping's DIMM, in position order. */
    private List<Assembly.Member> members() {
        List<Assembly.Member> members = new ArrayList<>();
        List<RegionMapping> mappings = new ArrayList<>(region.mappings());
        mappings.sort(java.util.Comparator.comparingInt(RegionMapping::position));
        for (RegionMapping m : mappings) {
            Dimm dimm = DimmLabelIo.dimm(region.bus(), m.dimm());
            members.add(new Assembly.Member(m, dimm.name(), dimm.labelAreaSize(), DimmLabelIo.parse(dimm)));
        }
        return members;
    }

    private Assembly assemble(List<Assembly.Member> members) {
        if (members.isEmpty() || region.cookies().isEmpty()) {
            return Assembly.labelLess();
        }
        return Assembly.of(members, region.cookies().get());
    }

    @Override
    public String toString() {
        return "RegionLabels[" + region.name() + ", " + (labeled() ? "v" + version() + ", " + namespaces().size()
                + " namespaces" : "label-less") + "]";
    }
}
