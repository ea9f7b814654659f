package nvdimm.shell.internal.ndctl;

import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.btt.BttDevice;

/**
 * The BTT devices bound now (the BTT bundle's {@link BttDevice} services), by the namespace they claim: what a
 * sector namespace's listing shows as its {@code uuid}, {@code size} and {@code sector_size}, as ndctl reads
 * them from the BTT.
 */
final class SectorDevices {
    private final CopyOnWriteArrayList<BttDevice> devices = new CopyOnWriteArrayList<>();

    void add(BttDevice d) {
        devices.addIfAbsent(d);
    }

    void remove(BttDevice d) {
        devices.remove(d);
    }

    /** The BTT claiming that namespace, if one is bound. */
    Optional<BttDevice> of(String namespace) {
        for (BttDevice d : devices) {
            if (d.namespace().equals(namespace)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
