package nvdimm.region.internal;

import nvdimm.bus.spi.BusProvider;
import nvdimm.region.NamespaceProvider;

/** Reaches the region test-jar's bus double and the region driver's DS hooks from the BTT bundle's tests. */
public final class BttTestBuses {
    private BttTestBuses() {
    }

    /** A bus without DIMMs whose one region (region k at BASE + k GiB) is label-less, of {@code size} bytes. */
    public static BusProvider labelLess(String name, long size) {
        return TestBus.builder(name).dimmless(size).build();
    }

    public static void bindNamespaceProvider(RegionDriver driver, NamespaceProvider provider) {
        driver.bindNamespaceProvider(provider);
    }

    public static void deactivate(RegionDriver driver) {
        driver.deactivate();
    }

    /** Closes a bus built here (its media). */
    public static void close(BusProvider bus) {
        ((TestBus) bus).close();
    }
}
