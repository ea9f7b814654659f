package nvdimm.btt.check;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

import nvdimm.bus.Medium;

/**
 * Checks and repairs BTTs offline, as ndctl's {@code check-namespace}, registered as an OSGi service by the BTT
 * bundle. The caller gives the bytes; nothing is written without {@link CheckOptions#repair()}.
 */
@ProviderType
public interface BttChecker {

    /**
     * Checks the BTT on one namespace's bytes.
     *
     * @param target what is checked, for the report ({@code namespace0.0})
     * @param namespace the namespace's bytes, offset 0 at its start; nobody else may write them meanwhile
     * @param namespaceUuid the namespace's uuid (its BTT's parent); empty when label-less
     * @throws nvdimm.bus.NvdimmException the medium's errno when it fails (a media error in the metadata)
     */
    CheckReport check(String target, Medium namespace, Optional<UUID> namespaceUuid, CheckOptions options,
            Progress progress);

    /**
     * Checks the BTT of an attached namespace, as ndctl's {@code check-namespace}: a disabled namespace is
     * enabled for the check with no BTT attached and disabled again; an enabled one is refused unless
     * {@code force}, and then loses its BTT device for the check and gets it back afterwards (with the repairs).
     * Neither its raw disk nor a BTT writes to it meanwhile.
     *
     * @param namespace {@code namespaceR.N}
     * @throws nvdimm.bus.NvdimmException ENXIO for an unknown namespace, an idle seed, or one with no BTT where
     *     ndctl looks whose labels do not claim it for a BTT (ndctl's issue #43: refused, not "damaged"); EBUSY
     *     for an enabled one without {@code force} or one being checked; ENODEV without the namespace service;
     *     the media's errno
     */
    CheckReport checkNamespace(String namespace, CheckOptions options, boolean force, Progress progress);

    /**
     * Checks every BTT of an image laid out as QEMU lays out an nvdimm: the namespaces its labels describe
     * (each at its DPA, the region being DPA 0 on), or without a valid label area the label-less namespace
     * spanning the persistent memory. A namespace whose labels claim it for a BTT is always checked (no BTT
     * is damage); a raw one only when it carries a BTT or the backup of one.
     *
     * @param target the image's name for the reports (each report's target adds the namespace)
     * @param pmem the persistent memory
     * @param labelArea the label area, if the image has one
     * @return one report per namespace checked, in DPA order
     * @throws nvdimm.bus.NvdimmException ENXIO naming the image when no namespace has a BTT; the media's errno
     */
    List<CheckReport> checkImage(String target, Medium pmem, Optional<Medium> labelArea, CheckOptions options,
            Progress progress);
}
