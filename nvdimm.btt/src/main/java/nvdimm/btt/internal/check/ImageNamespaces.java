package nvdimm.btt.internal.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.NamespaceLabel;

/**
 * The namespaces of a one-DIMM QEMU image: from its labels when the label area parses (one namespace per uuid,
 * at the DPA of its label, DPA 0 being the start of the persistent memory), else the label-less namespace that
 * spans the persistent memory.
 *
 * @param name the namespace's name in reports, {@code namespace0.N} in DPA order as Linux would number them
 * @param offset where it starts in the persistent memory
 * @param size its bytes
 * @param uuid its uuid; empty when label-less
 * @param claimClass what its labels say claims it ({@link ClaimClass#NONE} for v1.1 labels and label-less)
 */
record ImageNamespaces(String name, long offset, long size, Optional<UUID> uuid, ClaimClass claimClass) {

    static List<ImageNamespaces> of(Medium pmem, Optional<Medium> labelArea) {
        Optional<LabelArea> area = labelArea.flatMap(ImageNamespaces::parse);
        if (area.isEmpty() || area.get().labels().isEmpty()) {
            return List.of(new ImageNamespaces("namespace0.0", 0, pmem.size(), Optional.empty(), ClaimClass.NONE));
        }
        Map<UUID, NamespaceLabel> first = new LinkedHashMap<>();
        for (NamespaceLabel l : area.get().labels()) {
            first.merge(l.uuid(), l, (a, b) -> a.position() <= b.position() ? a : b);
        }
        List<NamespaceLabel> labels = new ArrayList<>(first.values());
        labels.sort(Comparator.comparingLong(NamespaceLabel::dpa));
        List<ImageNamespaces> out = new ArrayList<>();
        for (NamespaceLabel l : labels) {
            if (l.dpa() < 0 || l.rawSize() <= 0 || l.dpa() > pmem.size() - l.rawSize()) {
                throw new NvdimmException(Errno.EINVAL, pmem.name() + ": the label of namespace " + l.uuid()
                        + " places " + l.rawSize() + " bytes at DPA " + l.dpa() + ", beyond the image's "
                        + pmem.size() + " bytes of persistent memory");
            }
            ClaimClass claim = l.abstractionGuid() == null ? ClaimClass.NONE : ClaimClass.ofGuid(l.abstractionGuid());
            out.add(new ImageNamespaces("namespace0." + out.size(), l.dpa(), l.rawSize(), Optional.of(l.uuid()),
                    claim));
        }
        return out;
    }

    private static Optional<LabelArea> parse(Medium labels) {
        if (labels.size() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        byte[] bytes = new byte[(int) labels.size()];
        labels.read(0, bytes);
        return LabelArea.tryParse(bytes);
    }

    /** Whether its labels say a BTT claims it. */
    boolean claimedForBtt() {
        return claimClass == ClaimClass.BTT || claimClass == ClaimClass.BTT2;
    }
}
