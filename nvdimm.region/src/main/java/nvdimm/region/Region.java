package nvdimm.region;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.PersistenceDomain;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An enabled region ({@code regionN} bound to the region driver {@value #DRIVER}): what Linux's
 * {@code struct nd_region} offers to namespaces, BTTs and ndctl. The driver publishes it as an OSGi
 * service under {@code Region} while the region is bound, with the device's service properties
 * ({@link Device#SERVICE_DEV}, {@link Device#SERVICE_BUS}, {@link Device#SERVICE_TYPE}).
 *
 * <p>The description methods (name, sizes, mappings, cookies, ...) never fail and stay readable after
 * the region is disabled. The operations (lanes, flush, scrub, clear, inject) fail with
 * {@link nvdimm.bus.Errno#ENXIO} once it is disabled ({@link #isActive()} false); a later enable makes a
 * new {@code Region}. Every failure is an {@link nvdimm.bus.NvdimmException} whose errno is the one the
 * failing layer chose (a provider's {@code ENOMEM} stays {@code ENOMEM}). None of the methods may be
 * called with a device lock held when they issue commands or wait (noted per method).
 */
@ProviderType
public interface Region {
    /** The region driver's name, as Linux shows it. */
    String DRIVER = "nd_region";

    // ------------------------------------------------------------------ description

    /** The device name, {@code regionN}. */
    String name();

    /** N of {@code regionN}. */
    int id();

    /** The region device. */
    RegionDevice device();

    /** The bus the region sits on. */
    NvdimmBus bus();

    /** Where the region starts in the system physical address space (SPA); scrub records use SPAs. */
    long address();

    /** Bytes in the region (ndctl {@code size}). */
    long size();

    /**
     * Bytes not in use by any namespace (ndctl {@code available_size}): {@link #size()} minus the union
     * of the {@link NamespaceProvider#allocations} clipped to the region; the whole size when no
     * namespace provider is bound.
     */
    long availableSize();

    /** The largest run of bytes not in use by any namespace (ndctl {@code max_available_extent}). */
    long maxAvailableExtent();

    /** The allocation alignment for namespaces (ndctl {@code align}), a power of two. */
    long align();

    /** How far stores must go to be safe (ndctl {@code persistence_domain}: {@link PersistenceDomain#sysfs()}). */
    PersistenceDomain persistenceDomain();

    /** How many DIMMs the region interleaves; 1 for a region without DIMMs. */
    int interleaveWays();

    /** Bytes placed on one DIMM before the next; 0 when not interleaved. */
    long interleaveGranularity();

    /** The DIMM parts in position order; empty for a region without DIMMs (virtio-pmem). */
    List<RegionMapping> mappings();

    /**
     * The interleave-set cookies; empty for a region without DIMMs. ndctl's {@code iset_id} is
     * {@link InterleaveSetCookies#cookie2()} unless the DIMMs carry v1.1 labels.
     */
    Optional<InterleaveSetCookies> cookies();

    /**
     * The region's memory: byte {@code x} of the medium is byte {@code x} of the region (for an
     * interleaved region the provider's medium stitches the DIMMs).
     */
    Medium medium();

    /** Whether the region is still bound; false once disabled or removed. */
    boolean isActive();

    /** The namespace devices under the region, in registration order. */
    List<Device> namespaces();

    /**
     * Registers a child device under the region ({@code namespaceR.N}, or a BTT seed {@code bttR.N}) with
     * the lowest free name, <em>if this binding is still the one bound</em>: the check and the
     * registration happen together under the region's device lock, so a namespace provider that is slow
     * can never add a namespace to a later binding of the same region whose badblocks are not populated
     * yet. Namespace providers register through this, never through
     * {@link nvdimm.bus.DeviceCore#register} directly. Call it with no device lock held.
     *
     * @throws nvdimm.bus.NvdimmException ENXIO when this region has been disabled (or is being); EAGAIN
     *     before its badblocks are populated; otherwise as
     *     {@link nvdimm.bus.DeviceCore#register(Device, DeviceType)} (EINVAL for a type a region cannot
     *     have)
     */
    Device register(DeviceType type);

    /**
     * As {@link #register(DeviceType)}, under a chosen name ({@code namespaceR.N}).
     *
     * @throws nvdimm.bus.NvdimmException as {@link #register(DeviceType)}; EINVAL for a badly
     *     formed name, EEXIST for a name in use
     */
    Device register(DeviceType type, String name);

    // ------------------------------------------------------------------ badblocks

    /**
     * The region's bad sectors, relative to the region's start ({@code regionN/badblocks}). Populated
     * from the bus's last scrub results while the region is enabled, before any namespace under it is
     * registered; scrubs add to it ({@link #waitScrub}), clearing removes from it ({@link #clearErrors}).
     */
    Badblocks badblocks();

    // ------------------------------------------------------------------ lanes

    /** The region's lanes. */
    LanePool lanes();

    /** {@link LanePool#acquire()} of {@link #lanes()}. */
    default int acquireLane() {
        return lanes().acquire();
    }

    /** {@link LanePool#release(int)} of {@link #lanes()}. */
    default void releaseLane(int lane) {
        lanes().release(lane);
    }

    // ------------------------------------------------------------------ flush

    /**
     * Flushes the region (Linux's {@code nvdimm_flush}) and waits for it: the provider's flush handler
     * when it has one, else the generic flush, a drain of the medium's persistence domain
     * ({@link Medium#drain()}). Every store to the region persisted before the call is durable when it
     * returns; like Linux's, the flush writes no cache back for a writer that did not persist. May
     * sleep ({@code mightSleep()}); a lane may be held across it. The wait for the provider
     * is uninterruptible, as Linux's: a caller interrupted meanwhile still waits for the flush in flight
     * (it may hold a lane whose free block the flush covers), and finds its interrupt status set again.
     *
     * @throws nvdimm.bus.NvdimmException the medium's error unchanged; for a provider's failure, an
     *     exception of this caller's own (a provider may give one failure to many waiters) with the
     *     provider's errno and the provider's exception as its cause; EIO for a provider failure that
     *     carries no errno; ENXIO when the region is disabled
     */
    void flush();

    /**
     * Starts a flush and returns with its completion: the provider's flush handler completes it
     * (virtio-pmem from the host's acknowledgement), on failure with an exception of this caller's own
     * carrying the provider's errno, as {@link #flush()}. May sleep: a provider's handler may block
     * while it starts the flush (virtio-pmem waits for a free descriptor), and the generic flush, which
     * has nothing to wait for, runs on the calling thread and the stage is already complete. Never
     * throws: failures complete the stage exceptionally with an {@link nvdimm.bus.NvdimmException}.
     */
    CompletionStage<Void> flushAsync();

    /**
     * sysfs {@code deep_flush} read (1 or 0): whether data is durable only after an explicit flush of
     * the region. True when the provider has a flush handler (virtio-pmem's host {@code fsync}) or the
     * persistence domain is not {@link PersistenceDomain#CPU_CACHE} (memory-controller queues or an
     * unknown domain must be drained); false only for a CPU-cache domain without a flush handler.
     */
    boolean deepFlushNeeded();

    /**
     * sysfs {@code deep_flush} write of a true value: triggers {@link #flush()} and reports its error.
     * It flushes whatever {@link #deepFlushNeeded()} says.
     */
    void deepFlush();

    // ------------------------------------------------------------------ scrub and errors (commands)

    /**
     * ARS Start over the region's address range (a bus command; no device lock may be held).
     *
     * @throws nvdimm.bus.NvdimmException the provider's error (EBUSY when a scrub runs already,
     *     EOPNOTSUPP for a provider without scrub); ENXIO when disabled or the bus is going away
     */
    void startScrub();

    /**
     * Polls ARS Status until no scrub runs, then adds every poisoned range the status reports within the
     * region to {@link #badblocks()} (rounded out to whole sectors) and posts a CHANGE event for the
     * region if that added anything. No device lock may be held.
     *
     * @param timeout how long to wait for a running scrub
     * @return the badblocks afterwards
     * @throws nvdimm.bus.NvdimmException ETIMEDOUT when a scrub still runs after {@code timeout}; EINTR
     *     when interrupted; the provider's error unchanged; ENXIO when disabled
     */
    List<Badblocks.Range> waitScrub(Duration timeout);

    /**
     * Clear Uncorrectable Error over {@code [offset, offset + length)} of the region (a bus command),
     * then removes from {@link #badblocks()} every sector lying wholly within the bytes the provider
     * reports cleared (from {@code offset}); posts a CHANGE event if badblocks changed.
     *
     * @return the bytes the provider cleared
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative offset or a length of 0 or less; ENXIO
     *     for a range past the end of the region or a disabled region; the provider's error unchanged
     */
    long clearErrors(long offset, long length);

    /**
     * Injects poison into {@code [offset, offset + length)} of the region (a bus command). As with
     * Linux's nfit_test, the badblocks do not change now: the poison shows up in them after the next
     * scrub ({@link #startScrub()} then {@link #waitScrub}).
     *
     * @throws nvdimm.bus.NvdimmException as {@link #clearErrors}
     */
    void injectError(long offset, long length);

    /**
     * Removes injected poison from {@code [offset, offset + length)} of the region (a bus command) and,
     * since the poison is gone, removes the sectors wholly inside the range from {@link #badblocks()}.
     *
     * @throws nvdimm.bus.NvdimmException as {@link #clearErrors}
     */
    void uninjectError(long offset, long length);

    /**
     * The injected poison within the region ({@code ndctl inject-error --status}), as region-relative
     * sectors rounded out (a bus command).
     */
    List<Badblocks.Range> injectedErrors();
}
