package nvdimm.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A held reconfiguration lock of a bus ({@link NvdimmBus#lockReconfiguration()}, Linux's
 * {@code nvdimm_bus_lock}): label updates, namespace creation and deletion on that bus are serialised
 * by it, and no probe of the bus starts while it is held. {@link #close()} releases it.
 */
@ProviderType
public interface BusReconfiguration extends AutoCloseable {
    /** The bus this lock belongs to. */
    NvdimmBus bus();

    /**
     * Linux's {@code wait_nvdimm_bus_probe_idle}: returns, holding the lock, once no probe of this bus
     * is queued or running. The lock is released while waiting, so the probes can start and finish; what
     * the holder read before may have changed when this returns.
     *
     * @throws NvdimmException EBUSY from inside a probe of this bus (it would wait for itself); EDEADLK
     *     with a device lock held; EINTR when interrupted (the lock is held again then)
     */
    void waitProbeIdle();

    /** Releases the lock (once; a second close does nothing). */
    @Override
    void close();
}
