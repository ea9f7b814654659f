package nvdimm.btt;

import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bound BTT device ({@code bttR.N}, driver {@value #DRIVER}) and the sector device it exposes: published as
 * an OSGi service under {@code BttDevice} beside its {@link nvdimm.namespace.BlockDevice} ({@code pmemNs})
 * while bound, with the BTT device's service properties. What listings show of a namespace in sector mode.
 *
 * @since 0.2
 */
@ProviderType
public interface BttDevice {
    /** The BTT driver's name, as Linux shows it. */
    String DRIVER = "nd_btt";

    /** The device name, {@code bttR.N}. */
    String device();

    /** The namespace it claims, {@code namespaceR.N}. */
    String namespace();

    /** Its block device's name: the namespace's raw disk name with an {@code s}, {@code pmem0s}, {@code pmem0.1s}. */
    String blockdev();

    /** The BTT's uuid (ndctl's {@code uuid} of a sector namespace). */
    UUID uuid();

    /** The info block's {@code parent_uuid}: the namespace's uuid, or nil for a label-less namespace. */
    UUID parentUuid();

    /** The external sector size ({@code sector_size}). */
    int sectorSize();

    /** Sectors over all arenas. */
    long sectors();

    /** The capacity as Linux reports it: sectors times the data bytes of a sector (ndctl's {@code size}). */
    long capacity();

    /** The on-media version, {@code "1.1"} or {@code "2.0"}. */
    String version();
}
