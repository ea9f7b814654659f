package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.NvdimmBus;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A core on a THROW-mode validator with a recording publisher; closed after each test. */
abstract class CoreTestBase {
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final RecordingPublisher publisher = new RecordingPublisher(lockdep);
    final List<FakeProvider> providers = new ArrayList<>();
    final List<FakeDriver> fakeDrivers = new ArrayList<>();
    CoreImpl core;

    @BeforeEach
    void createCore() {
        core = newCore();
    }

    CoreImpl newCore() {
        return new CoreImpl(lockdep, publisher, new CoreConfig(2, Duration.ofSeconds(10)));
    }

    @AfterEach
    void closeCore() {
        core.close();
        providers.forEach(FakeProvider::close);
    }

    NvdimmBus bring(FakeProvider provider) {
        providers.add(provider);
        return core.addProvider(provider);
    }

    FakeProvider provider(FakeProvider provider) {
        providers.add(provider);
        return provider;
    }

    FakeDriver driver(String name, DeviceType... types) {
        FakeDriver d = new FakeDriver(name, types);
        fakeDrivers.add(d);
        return d;
    }

    void idle() {
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(20)), "probes still running after 20 s");
    }

    Device dev(String name) {
        return core.find(name).orElseThrow(() -> new AssertionError(name + " is not registered"));
    }

    List<LockdepReport.Kind> kinds() {
        return lockdep.reports().stream().map(LockdepReport::kind).toList();
    }

    /** No validator report, no framework call under a device lock, no driver called without its lock. */
    void assertClean() {
        assertEquals(List.of(), lockdep.reports(), () -> "validator reports: " + lockdep.reports());
        assertEquals(List.of(), publisher.violations);
        for (FakeDriver d : fakeDrivers) {
            assertEquals(List.of(), d.violations, d.toString());
        }
    }

    /** Asserts that {@code first} is on the timeline before {@code second}. */
    void assertBefore(String first, String second) {
        List<String> t = publisher.timeline();
        int a = t.indexOf(first);
        int b = t.indexOf(second);
        assertTrue(a >= 0, () -> first + " missing from " + t);
        assertTrue(b >= 0, () -> second + " missing from " + t);
        assertTrue(a < b, () -> first + " should come before " + second + " in " + t);
    }
}
