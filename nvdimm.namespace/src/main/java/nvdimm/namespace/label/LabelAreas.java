package nvdimm.namespace.label;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Label management of DIMMs ({@code nmemN}), registered as an OSGi service by the namespace bundle: what
 * {@code ndctl init-labels}, {@code zero-labels}, {@code check-labels}, {@code read-labels} and
 * {@code write-labels} do. Label I/O goes through the DIMMs' label commands only. Changes take the bus's
 * reconfiguration lock, and are refused, with nothing written, for a DIMM that is active (an enabled
 * region maps it: EBUSY, {@code "nmem0: regions active, abort label write"}), has no label area (ENXIO),
 * or for input of the wrong size or without a valid index (EINVAL). Call with no device lock held.
 */
@ProviderType
public interface LabelAreas {

    /**
     * The whole label area's bytes.
     *
     * @throws nvdimm.bus.NvdimmException ENODEV for no such DIMM; ENXIO without a label area; the command's errno
     */
    byte[] read(String dimm);

    /**
     * The parsed label area ({@code check-labels}: valid or the problem).
     *
     * @throws nvdimm.bus.NvdimmException as {@link #read}; ENXIO naming the problem when no index is valid
     */
    LabelArea check(String dimm);

    /**
     * Writes fresh index blocks ({@code init-labels}), index 0 with sequence number 3 and index 1 with 2; the
     * label slots keep their bytes but are all free.
     *
     * @param force re-initialise an area that has a valid index already (else EBUSY: {@code "labels already
     *     initialized"})
     * @return the new area
     */
    LabelArea init(String dimm, LabelVersion version, boolean force);

    /** Writes zeros over the whole label area ({@code zero-labels}): the DIMM becomes label-less. */
    void zero(String dimm);

    /**
     * Writes a whole label area ({@code write-labels}).
     *
     * @param area exactly the label area's size, holding a valid index
     */
    void write(String dimm, byte[] area);
}
