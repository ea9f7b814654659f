package nvdimm.bus.internal.core;

import nvdimm.bus.Device;

/**
 * The bus driver, built in (Linux's {@code nd_bus} driver): binding a bus lists it and registers its
 * DIMMs and regions from the provider's descriptions; their probes run asynchronously.
 */
final class BusDriver implements nvdimm.bus.Driver {
    static final String NAME = "nd_bus";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean match(Device device) {
        return device instanceof BusImpl;
    }

    @Override
    public void probe(Device device) {
        BusImpl bus = (BusImpl) device;
        bus.core.busLifecycle.linkBus(bus);
        bus.core.busLifecycle.registerBusChildren(bus);
    }

    /** Nothing left to do: the bus teardown unlisted the bus and drained its commands before its children went. */
    @Override
    public void remove(Device device) {
        // a bus is unbound only by its teardown (it cannot be disabled)
    }
}
