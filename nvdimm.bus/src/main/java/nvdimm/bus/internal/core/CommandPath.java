package nvdimm.bus.internal.core;

import java.util.function.Supplier;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * The command path (Linux's {@code nd_ioctl}, after patches 4 and 5 of the 2019 series): a command pins
 * its bus with the bus's active count (ENXIO once the bus is going away), runs as work of
 * {@code nd_bus.command_idle} so that a bus removal waiting for the drain is validated against what the
 * command takes, uses buffers of its own, and passes the provider's errors through. No list lock and no
 * device lock is held across the provider call.
 */
final class CommandPath {
    private final CoreImpl core;

    CommandPath(CoreImpl core) {
        this.core = core;
    }

    <T> T run(DeviceImpl target, String what, Supplier<T> call) {
        core.lockdep.mightSleep();
        core.refuseUnderDeviceLock(target.name + ": " + what, core.commandIdle);
        BusImpl bus = target.busImpl();
        if (target.isDead()) {
            throw new NvdimmException(Errno.ENXIO, target.name + ": " + what + ": the device is gone");
        }
        if (!bus.commands.enter()) {
            throw new NvdimmException(Errno.ENXIO, target.name + ": " + what + ": " + bus.name + " is going away");
        }
        try {
            core.commandIdle.beginWork();
            try {
                return call.get();
            } finally {
                core.commandIdle.endWork();
            }
        } finally {
            bus.commands.exit();
        }
    }
}
