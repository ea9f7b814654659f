package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Device;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.Region;
import nvdimm.region.testing.TestPublisher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A device core on a THROW-mode validator with a test publisher, and the region driver; closed after each test. */
abstract class RegionTestBase {
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final TestPublisher publisher = new TestPublisher(lockdep);
    final List<TestBus> buses = new ArrayList<>();
    CoreImpl core;
    RegionDriver driver;

    @BeforeEach
    void createCore() {
        core = new CoreImpl(lockdep, publisher, new CoreConfig(probeThreads(), Duration.ofSeconds(10)));
    }

    int probeThreads() {
        return 2;
    }

    @AfterEach
    void closeCore() {
        if (driver != null) {
            driver.deactivate();
        }
        core.close();
        buses.forEach(TestBus::close);
    }

    RegionDriver driver() {
        return driver(RegionDriver.Settings.DEFAULT);
    }

    RegionDriver driver(RegionDriver.Settings settings) {
        driver = new RegionDriver(lockdep, core, settings);
        core.addDriver(driver);
        return driver;
    }

    NvdimmBus bring(TestBus bus) {
        buses.add(bus);
        return core.addProvider(bus);
    }

    void idle() {
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(20)), "probes still running after 20 s");
    }

    Device dev(String name) {
        return core.find(name).orElseThrow(() -> new AssertionError(name + " is not registered"));
    }

    Region region(String name) {
        return driver.find(name).orElseThrow(() -> new AssertionError(name + " is not enabled"));
    }

    /** No validator report and no framework call under a device lock. */
    void assertClean() {
        assertEquals(List.of(), lockdep.reports(), () -> "validator reports: " + lockdep.reports());
        assertEquals(List.of(), publisher.violations);
    }
}
