package nvdimm.namespace.internal.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.Region;
import nvdimm.region.internal.RegionDriver;
import nvdimm.region.testing.TestPublisher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The real device core on a THROW-mode validator, the region driver, and label buses; closed after each test. */
abstract class LabelsTestBase {
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final TestPublisher publisher = new TestPublisher(lockdep);
    final List<LabelBus> buses = new ArrayList<>();
    CoreImpl core;
    RegionDriver driver;

    @BeforeEach
    void createCore() {
        core = new CoreImpl(lockdep, publisher, new CoreConfig(2, Duration.ofSeconds(10)));
        driver = new RegionDriver(lockdep, core, Map.of());
        core.addDriver(driver);
    }

    @AfterEach
    void closeCore() {
        core.close();
        buses.forEach(LabelBus::close);
    }

    NvdimmBus bring(LabelBus bus) {
        buses.add(bus);
        NvdimmBus b = core.addProvider(bus);
        idle();
        return b;
    }

    void idle() {
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(20)), "probes still running after 20 s");
    }

    Region region(String name) {
        return driver.find(name).orElseThrow(() -> new AssertionError(name + " is not enabled"));
    }

    Dimm dimm(String name) {
        return core.find(name, Dimm.class).orElseThrow(() -> new AssertionError(name + " is not registered"));
    }

    /** No validator report and no framework call under a device lock. */
    void assertClean() {
        assertEquals(List.of(), lockdep.reports(), () -> "validator reports: " + lockdep.reports());
        assertEquals(List.of(), publisher.violations);
    }
}
