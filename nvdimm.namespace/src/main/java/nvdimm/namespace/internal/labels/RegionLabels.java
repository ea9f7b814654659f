package nvdimm.namespace.internal.labels;

import java.util.List;
import java.util.UUID;

import nvdimm.region.Extent;

/**
 * The labels of one enabled region's interleave set as read from its DIMMs (Linux's {@code scan_labels}
 * and the DPA reservations of {@code nd_label_reserve_dpa}), and the way namespace changes are written
 * back (label.c's two-phase update). This is the seam between the namespace core and the label code: the
 * core never sees label bytes, the label code never sees devices.
 *
 * <p>Reads happen once, when the region is enumerated, and again after each change; every method that
 * writes must be called with the bus's reconfiguration lock held and no device lock, and leaves the
 * DIMMs with either the old or the new set of labels should it fail (or the process die) midway.
 */
public interface RegionLabels {

    /**
     * Whether the region is labeled: it has DIMMs with label areas and the first mapping's DIMM has a valid
     * namespace index (Linux's {@code NDD_LABELING}). A label-less region has one io namespace spanning it.
     */
    boolean labeled();

    /** The index version of the first mapping's DIMM, {@code "1.1"} or {@code "1.2"}; meaningful when labeled. */
    String version();

    /** The namespaces that assemble, in the order of their position-0 labels' slots. */
    List<LabeledNamespace> namespaces();

    /** The label sets that do not assemble, each with the reason (shown by {@code list -i}). */
    List<UnassembledSet> unassembled();

    /**
     * The parts of the region that labels reserve, region-relative: for every mapping, each DPA range a
     * valid label on that DIMM reserves (whatever region or namespace it belongs to, assembled or not),
     * intersected with the mapping and scaled to region offsets. Free capacity is what none of them covers.
     */
    List<Extent> reserved();

    /**
     * How many more namespaces the label areas can take: the fewest free slots on any DIMM of the set,
     * less the one Linux keeps free for updates.
     */
    int freeSlots();

    /**
     * Writes the labels of a namespace on every DIMM of the set, creating or updating (same uuid), in
     * Linux's two phases (UPDATING, then final), then re-reads.
     *
     * @throws nvdimm.bus.NvdimmException ENOSPC with no free slot; the DIMM command's errno unchanged
     */
    void write(LabeledNamespace namespace);

    /** Frees every label of the uuid on every DIMM of the set, position 0 last, then re-reads. */
    void delete(UUID uuid);
}
