package nvdimm.bus.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of persistent memory: the service a provider bundle registers. The bus core reads the
 * descriptions once, when it binds the provider; a provider whose hardware changes re-registers.
 */
@ConsumerType
public interface BusProvider {

    /**
     * The provider string ndctl shows for the bus ({@code "emul.0"}, {@code "virtio-pmem"},
     * {@code "nfit_test.0"}); unique among the providers bound at one time.
     */
    String name();

    /** The DIMMs on this bus; empty for a bus without DIMMs (virtio-pmem). */
    List<DimmDescriptor> dimms();

    /** The regions of persistent memory, each with the medium that backs its address range. */
    List<RegionDescriptor> regions();

    /** The command handler: label areas, address range scrub, errors, health. */
    CommandHandler commands();
}
