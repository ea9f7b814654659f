package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
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
import org.osgi.framework.ServiceReference;

/**
 * The virtio-pmem bundle installed, configured (a FileInstall file), used and taken away while writers and
 * flushers run on a BTT over its region: every caller returns, with success or a clean ENXIO/EIO; the bus
 * goes children first; every sector whose write and a later flush returned reads back after the device
 * returns; the validator (THROW) reports nothing. The test imports nothing of the virtio bundle, so its
 * uninstallation leaves the probe alone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class VirtioHotDeployIT {


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
        return Runtime.options();
    }

    private Optional<NvdimmBus> virtioBus() {
        return core.buses().stream().filter(b -> b.provider().equals("virtio-pmem")).findFirst();
    }

    private Optional<BlockDevice> disk(String name) {
        return IoLoad.disk(context, name);
    }

    private Bundle virtioBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> "nvdimm.virtio".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    @Test
    public void installConfigureUseAndTakeAwayUnderLoad() throws Exception {
        Path data = Path.of(context.getProperty("nvdimm.data"));
        Path jar = Runtime.bundleFiles().stream()
                .filter(p -> p.getFileName().toString().equals("nvdimm.virtio.jar")).findFirst().orElseThrow();
        virtioBundle().uninstall();
        Bundle bundle = context.installBundle(jar.toUri().toString());
        bundle.start();
        Path cfg = data.resolve("etc/nvdimm.virtio-hx.cfg");
        String config = "path = " + data.resolve("hx.img") + "\nsize = 32M\nqueue.size = 8\nhost.threads = 2\n";
        Files.writeString(cfg, config);
        Waits.until("the virtio-pmem bus", () -> virtioBus().isPresent());
        core.waitProbeIdle();
        Waits.until("its namespace", () -> namespaces.find("namespace0.0").isPresent());
        namespaces.reconfigure("namespace0.0", new NamespaceSpec(Optional.empty(), OptionalLong.empty(),
                NamespaceMode.SECTOR, Optional.empty(), Optional.empty(), OptionalInt.of(IoLoad.SLOT)), true);
        Waits.until("pmem0s", () -> disk("pmem0s").isPresent());
        long[] acked = new long[IoLoad.SLOTS];

        // The configuration deleted under load: the device freezes, the bus goes, every caller returns.
        IoLoad load = new IoLoad(disk("pmem0s").orElseThrow(), acked, 0);
        Waits.until("acknowledged writes", () -> load.acked.get() > 200);
        List<String> removed = Removals.record(context);
        NvdimmBus bus = virtioBus().orElseThrow();
        silence("hx"); // the host stops answering: flushers sleep until the device's freeze drains the queue
        Files.delete(cfg);
        Waits.until("the bus to go", () -> virtioBus().isEmpty());
        load.stopAndJoin();
        Waits.until("the bus's REMOVE event", () -> removed.contains(bus.name()));
        Removals.assertChildrenFirst(removed, bus.name());

        // Back on the same file: the BTT loads, the acknowledged sectors are there.
        Files.writeString(cfg, config);
        try {
            Waits.until("pmem0s again", () -> disk("pmem0s").isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; devices " + core.devices().stream().map(d -> d.name() + ":"
                    + d.state() + d.probeError().map(x -> " (" + x.getMessage() + ")").orElse("")).toList()
                    + "; namespaces " + namespaces.list(), e);
        }
        BlockDevice disk = disk("pmem0s").orElseThrow();
        IoLoad.assertAckedSlotsReadBack(disk, acked);

        // The bundle uninstalled under load.
        IoLoad again = new IoLoad(disk, acked, 1_000_000);
        Waits.until("acknowledged writes", () -> again.acked.get() > 200);
        NvdimmBus second = virtioBus().orElseThrow();
        List<String> removedAgain = Removals.record(context);
        bundle.uninstall();
        assertTrue("the bus is gone", virtioBus().isEmpty());
        again.stopAndJoin();
        Waits.until("the bus's REMOVE event", () -> removedAgain.contains(second.name()));
        Removals.assertChildrenFirst(removedAgain, second.name());
        assertEquals("no lockdep report: " + lockdep.reports(), 0, lockdep.reports().size());

        // Redeployed: the data is there.
        context.installBundle(jar.toUri().toString()).start();
        Waits.until("pmem0s after redeploying", () -> disk("pmem0s").isPresent());
        IoLoad.assertAckedSlotsReadBack(disk("pmem0s").orElseThrow(), acked);
        System.out.println("virtio hot deploy: acked " + load.acked + " then " + again.acked + " writes; errnos "
                + load.errnos + " then " + again.errnos);
    }

    /**
     * {@code virtio:inject DEV silent}, through the device's service by reflection: the probe imports nothing
     * of the virtio bundle, which this test uninstalls.
     */
    private void silence(String device) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences("nvdimm.virtio.VirtioPmem",
                "(nvdimm.virtio.name=" + device + ")");
        assertEquals(1, refs.length);
        Object pmem = context.getService(refs[0]);
        Class<?> faults = refs[0].getBundle().loadClass("nvdimm.virtio.VirtioFault");
        Object silent = faults.getMethod("valueOf", String.class).invoke(null, "SILENT");
        Class<?> api = refs[0].getBundle().loadClass("nvdimm.virtio.VirtioPmem");
        api.getMethod("inject", faults, long.class, int.class).invoke(pmem, silent, 0L, 1);
        context.ungetService(refs[0]);
    }
}
