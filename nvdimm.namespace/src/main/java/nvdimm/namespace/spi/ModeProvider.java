package nvdimm.namespace.spi;

import java.util.List;
import java.util.UUID;

import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What puts a namespace into a mode other than raw, registered as an OSGi service by the bundle that
 * implements the mode (the BTT bundle for {@link NamespaceMode#SECTOR}). Without one, creating a namespace
 * in that mode is refused naming the missing provider; the namespace bundle does not depend on it.
 *
 * <p>All methods are called without any device lock, the bus's reconfiguration lock held by the caller
 * for {@link #format} and {@link #erase}.
 */
@ConsumerType
public interface ModeProvider {

    /** The mode it implements. */
    NamespaceMode mode();

    /** The sector sizes it supports, in ndctl's order (a BTT: 512, 520, 528, 4096, 4104, 4160, 4224). */
    List<Integer> sectorSizes();

    /** The sector size used when none is asked for (a BTT: 4096, as ndctl). */
    int defaultSectorSize();

    /**
     * Writes the mode's metadata onto an enabled, unclaimed namespace (a BTT's arenas and info blocks) for
     * {@code sectorSize}-byte sectors, as Linux would when the mode is first enabled.
     *
     * @param parentUuid the namespace's uuid (a BTT's {@code parent_uuid}); empty for a label-less one
     */
    void format(Namespace namespace, int sectorSize, java.util.Optional<UUID> parentUuid);

    /** Whether the namespace carries this mode's metadata (a BTT's valid info block); read only. */
    boolean detect(Namespace namespace);

    /**
     * The sector size the mode's metadata on the namespace gives (a BTT's external LBA size), for listings
     * ({@code sector_size}) after a restart; read only, called only when {@link #detect} said true. The
     * default knows none.
     */
    default java.util.OptionalInt sectorSize(Namespace namespace) {
        return java.util.OptionalInt.empty();
    }

    /** Zeroes the mode's metadata so the namespace no longer probes in this mode (ndctl on reconfigure). */
    void erase(Namespace namespace);
}
