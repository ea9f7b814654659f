package nvdimm.namespace.internal.labels;

import java.util.Optional;

import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreaEditor;

/** A DIMM's label area through its commands (Get/Set Label Data), never around the provider. */
final class DimmLabelIo {

    private DimmLabelIo() {
    }

    /** The DIMM of {@code bus} called {@code name}. */
    static Dimm dimm(NvdimmBus bus, String name) {
        return bus.dimms().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new NvdimmException(Errno.ENXIO, name + ": no such DIMM on " + bus.name()));
    }

    /**
     * The whole label area.
     *
     * @throws NvdimmException ENXIO for a DIMM without a label area; the command's errno unchanged
     */
    static byte[] read(Dimm dimm) {
        long size = dimm.labelAreaSize();
        if (size <= 0) {
            throw new NvdimmException(Errno.ENXIO, dimm.name() + ": no label area");
        }
        if (size > Integer.MAX_VALUE) {
            throw new NvdimmException(Errno.EINVAL, dimm.name() + ": a label area of " + size + " bytes is too large");
        }
        byte[] area = new byte[(int) size];
        dimm.readLabelArea(0, area, 0, area.length);
        return area;
    }

    /** The parsed area, or empty when the DIMM has no label area or no valid index in it. */
    static Optional<LabelArea> parse(Dimm dimm) {
        return dimm.labelAreaSize() <= 0 ? Optional.empty() : LabelArea.tryParse(read(dimm));
    }

    /** The engine's writer: Set Label Data commands. */
    static LabelAreaEditor.Writer writer(Dimm dimm) {
        return dimm::writeLabelArea;
    }
}
