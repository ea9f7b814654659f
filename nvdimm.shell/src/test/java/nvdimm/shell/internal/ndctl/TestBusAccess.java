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

    public void failFlush(Errno errno) {
        bus.failFlush = errno;
    }

    @Override
    public void close() {
        bus.close();
    }
}
