package nvdimm.shell.internal.ndctl;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.region.Regions;

/** {@link TestBus} for tests in other packages of the shell. */
public final class TestBusAccess implements AutoCloseable {

    private final TestBus bus = new TestBus("test.0");

    public DeviceCore core() {
        return bus.core;
    }

    public Regions regions() {
        return bus.regions;
    }

    /** A fake namespace service over the bus's regions, bound to them as their namespace provider. */
    public FakeNamespaces namespaces() {
        FakeNamespaces fake = new FakeNamespaces(bus.regions);
        bus.bindNamespaceProvider(fake);
        return fake;
    }

    public void failFlush(Errno errno) {
        bus.failFlush = errno;
    }

    @Override
    public void close() {
        bus.close();
    }
}
