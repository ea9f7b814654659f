package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import javax.inject.Inject;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmBus;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Hot removal under I/O: writers and flushers on a BTT namespace and on a raw namespace of a file-backed
 * emulated bus while the provider bundle is stopped, then uninstalled, and while the BTT bundle is stopped: every
 * caller returns with success or a clean ENXIO/EIO, never hangs; the tree goes children first; after redeploying,
 * every slot whose write and a later flush returned reads back. Validator in THROW, no report.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotRemovalIT {

    static final String CFG = """
            dimms = 2
            dimm.size = 64M
            label.size = 0
            regions = 0,1
            backing = file
            """;

    @Inject
    BundleContext context;

    @Inject
    DeviceCore core;

    @Inject
    Namespaces namespaces;

    @Inject
    Lockdep lockdep;

    @Configuration
    public Option[] config() {
        return Runtime.options(Map.of("nvdimm.emul-hot.cfg", CFG));
    }

    private Optional<NvdimmBus> hotBus() {
        return core.buses().stream().filter(b -> b.provider().equals("emul.hot")).findFirst();
    }

    private Optional<BlockDevice> disk(String name) {
        return IoLoad.disk(context, name);
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
    }

    /** The bus up, namespace0.0 a BTT ({@code pmem0s}), namespace1.0 raw ({@code pmem1}). */
    private void setUp() throws Exception {
        Waits.until("the hot bus", () -> hotBus().isPresent());
        core.waitProbeIdle();
        Waits.until("its namespaces", () -> namespaces.find("namespace0.0").isPresent()
                && namespaces.find("namespace1.0").isPresent());
        if (disk("pmem0s").isEmpty()) {
            namespaces.reconfigure("namespace0.0", new NamespaceSpec(Optional.empty(), OptionalLong.empty(),
                    NamespaceMode.SECTOR, Optional.empty(), Optional.empty(), OptionalInt.of(IoLoad.SLOT)), true);
        }
        Waits.until("pmem0s and pmem1", () -> disk("pmem0s").isPresent() && disk("pmem1").isPresent());
    }

    @FunctionalInterface
    interface Removal {
        void run() throws Exception;
    }

    /** Load on both disks, then {@code removal}; callers keep calling until they see it, then all return. */
    private void removeUnderLoad(long[] ackedBtt, long[] ackedRaw, long firstVersion, String what, boolean busGoes,
            Removal removal) throws Exception {
        IoLoad btt = new IoLoad(disk("pmem0s").orElseThrow(), ackedBtt, firstVersion);
        IoLoad raw = new IoLoad(disk("pmem1").orElseThrow(), ackedRaw, firstVersion);
        Waits.until("acknowledged writes before " + what, () -> btt.acked.get() > 100 && raw.acked.get() > 100);
        List<String> removed = Removals.record(context);
        NvdimmBus bus = hotBus().orElseThrow();
        removal.run();
        Waits.until("the BTT callers to see " + what, () -> !btt.errnos.isEmpty());
        if (busGoes) {
            Waits.until("the raw callers to see " + what, () -> !raw.errnos.isEmpty());
        }
        btt.stopAndJoin();
        raw.stopAndJoin();
        if (busGoes) {
            Waits.until("the bus's REMOVE event after " + what, () -> removed.contains(bus.name()));
            Removals.assertChildrenFirst(removed, bus.name());
        }
        System.out.println("hot removal, " + what + ": acked " + btt.acked + " BTT and " + raw.acked
                + " raw writes; errnos " + btt.errnos + " and " + raw.errnos);
    }

    private void assertAckedSlotsReadBack(long[] ackedBtt, long[] ackedRaw) throws Exception {
        setUp();
        IoLoad.assertAckedSlotsReadBack(disk("pmem0s").orElseThrow(), ackedBtt);
        IoLoad.assertAckedSlotsReadBack(disk("pmem1").orElseThrow(), ackedRaw);
    }

    @Test
    public void stoppingOrUninstallingTheProviderAndStoppingTheBttBundleUnderIoLeaveCleanErrorsAndTheData()
            throws Exception {
        setUp();
        long[] ackedBtt = new long[IoLoad.SLOTS];
        long[] ackedRaw = new long[IoLoad.SLOTS];

        removeUnderLoad(ackedBtt, ackedRaw, 0, "stopping the provider", true, () -> bundle("nvdimm.emul").stop());
        assertTrue(hotBus().isEmpty());
        bundle("nvdimm.emul").start();
        assertAckedSlotsReadBack(ackedBtt, ackedRaw);

        removeUnderLoad(ackedBtt, ackedRaw, 1_000_000, "stopping the BTT bundle", false,
                () -> bundle("nvdimm.btt").stop());
        assertTrue("pmem0s went with the BTT bundle", disk("pmem0s").isEmpty());
        bundle("nvdimm.btt").start();
        assertAckedSlotsReadBack(ackedBtt, ackedRaw);

        Path jar = Runtime.bundleFiles().stream()
                .filter(p -> p.getFileName().toString().equals("nvdimm.emul.jar")).findFirst().orElseThrow();
        removeUnderLoad(ackedBtt, ackedRaw, 2_000_000, "uninstalling the provider", true,
                () -> bundle("nvdimm.emul").uninstall());
        context.installBundle(jar.toUri().toString()).start();
        assertAckedSlotsReadBack(ackedBtt, ackedRaw);
        assertEquals("no lockdep report: " + lockdep.reports(), 0, lockdep.reports().size());
    }
}
