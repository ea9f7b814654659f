package nvdimm.namespace;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Namespace management, registered as an OSGi service by the namespace bundle: what {@code ndctl
 * create-namespace}, {@code destroy-namespace}, {@code enable-namespace}, {@code disable-namespace} and
 * {@code list -N} do. Creation, reconfiguration and destruction hold the bus's reconfiguration lock and
 * write the labels (two-phase, on every DIMM of the interleave set) before the device changes, so state
 * lives on the media. Call every method with no device lock held.
 *
 * <p>Refusals change nothing on media or in the device tree and carry the errno ndctl reports: EINVAL for
 * bad arguments (naming the argument), ENODEV for an unknown device, ENOSPC for too little capacity
 * (naming the largest free extent) or no free label slot, EBUSY for an enabled namespace without force or
 * a claimed one, EOPNOTSUPP for an unsupported mode (naming the supported ones).
 */
@ProviderType
public interface Namespaces {

    /** Every namespace device (seeds included), in region then name order. */
    List<NamespaceInfo> list();

    /** The namespace with this name, enabled or not. */
    Optional<NamespaceInfo> info(String name);

    /** The enabled namespace with this name. */
    Optional<Namespace> find(String name);

    /**
     * Creates a namespace ({@code ndctl create-namespace}) and enables it. On a labeled region the idle
     * seed becomes the new namespace (its name, its {@code pmemN[.M]}) and a new seed appears, as on Linux;
     * the namespace takes the start of the largest free extent. On a label-less region the one io
     * namespace is set up again, which needs it disabled (destroyed) first, else EBUSY. Without a region,
     * the regions are tried in order and the first that takes it wins (ENOSPC when none can).
     *
     * @return the new namespace as listed
     */
    NamespaceInfo create(NamespaceSpec spec);

    /**
     * Reconfigures a namespace ({@code create-namespace -e NAME}): keeps its place and, unless given, its
     * size, uuid and name; changes the mode. An enabled namespace needs {@code force} (it is disabled first).
     */
    NamespaceInfo reconfigure(String name, NamespaceSpec spec, boolean force);

    /**
     * Destroys a namespace ({@code destroy-namespace}): its labels go, its capacity is free, the device
     * becomes the region's seed (or goes). A label-less namespace cannot go: its info blocks are zeroed and it
     * stays, raw and disabled, so that {@link #create} can set it up again (as ndctl). An enabled namespace
     * needs {@code force}. Destroying the idle seed does nothing (ndctl skips it).
     */
    void destroy(String name, boolean force);

    /**
     * Enables a namespace (a synchronous probe); an enabled one is left as it is. ENXIO for the idle seed
     * and for a namespace whose labels do not assemble (naming the reason).
     */
    void enable(String name);

    /** Disables a namespace (not persistent: it comes back enabled after a restart, as on Linux). */
    void disable(String name);
}
