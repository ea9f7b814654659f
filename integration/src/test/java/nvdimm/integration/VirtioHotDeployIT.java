package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
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
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

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

    private static final int WRITERS = 4;
    private static final int FLUSHERS = 4;
    private static final int SECTORS_PER_WRITER = 32;
    private static final int SECTOR = 4096;

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
        try {
            for (ServiceReference<BlockDevice> ref : context.getServiceReferences(BlockDevice.class, null)) {
                BlockDevice d = context.getService(ref);
                if (d != null && d.name().equals(name) && d.isActive()) {
                    return Optional.of(d);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    private Bundle virtioBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> "nvdimm.virtio".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    private List<String> recordRemovals() {
        List<String> removed = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DeviceEvents.REMOVE);
        context.registerService(EventHandler.class, e -> removed.add((String) e.getProperty(DeviceEvents.DEV)), props);
        return removed;
    }

    /** Writers and flushers on one disk, until stopped; what they saw. */
    private static final class Load {
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final ConcurrentHashMap<String, AtomicLong> errnos = new ConcurrentHashMap<>();
        final AtomicLong acked = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        Load(BlockDevice disk, long[] ackedVersion, long firstVersion) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    MemorySegment buf = MemorySegment.ofArray(new byte[SECTOR]);
                    long version = firstVersion;
                    while (!stop.get()) {
                        int sector = writer * SECTORS_PER_WRITER + (int) (version % SECTORS_PER_WRITER);
                        version++;
                        fill(buf, sector, version);
                        if (!call(() -> disk.write(sector, buf)) || !call(disk::flush)) {
                            continue;
                        }
                        ackedVersion[sector] = version; // one writer per sector: a plain store, read after join
                        acked.incrementAndGet();
                    }
                }, "writer-" + w));
            }
            for (int f = 0; f < FLUSHERS; f++) {
                threads.add(new Thread(() -> {
                    while (!stop.get()) {
                        call(disk::flush);
                    }
                }, "flusher-" + f));
            }
            threads.forEach(Thread::start);
        }

        private boolean call(Runnable r) {
            try {
                r.run();
                return true;
            } catch (NvdimmException e) {
                errnos.computeIfAbsent(e.errno().name(), k -> new AtomicLong()).incrementAndGet();
                if (e.errno() != nvdimm.bus.Errno.ENXIO && e.errno() != nvdimm.bus.Errno.EIO) {
                    unexpected.add(e.toString());
                }
                Thread.onSpinWait();
                return false;
            } catch (RuntimeException | Error e) {
                unexpected.add(e.toString());
                return false;
            }
        }

        void stopAndJoin() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
                assertFalse(t.getName() + " never returned", t.isAlive());
            }
            assertTrue("only ENXIO or EIO: " + unexpected, unexpected.isEmpty());
        }
    }

    static void fill(MemorySegment buf, int sector, long version) {
        for (long off = 0; off < SECTOR; off += 16) {
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off, sector);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8, version);
        }
    }

    /** Every sector holds one whole version, at least the acknowledged one. */
    private static void assertAckedSectorsReadBack(BlockDevice disk, long[] ackedVersion) {
        MemorySegment buf = MemorySegment.ofArray(new byte[SECTOR]);
        for (int sector = 0; sector < ackedVersion.length; sector++) {
            if (ackedVersion[sector] == 0) {
                continue;
            }
            disk.read(sector, buf);
            long version = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            for (long off = 0; off < SECTOR; off += 16) {
                assertEquals("sector " + sector + " is torn", sector, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off));
                assertEquals("sector " + sector + " is torn", version, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8));
            }
            assertTrue("sector " + sector + " lost its acknowledged version " + ackedVersion[sector] + ": " + version,
                    version >= ackedVersion[sector]);
        }
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
                NamespaceMode.SECTOR, Optional.empty(), Optional.empty(), OptionalInt.of(SECTOR)), true);
        Waits.until("pmem0s", () -> disk("pmem0s").isPresent());
        long[] acked = new long[WRITERS * SECTORS_PER_WRITER];

        // The configuration deleted under load: the device freezes, the bus goes, every caller returns.
        Load load = new Load(disk("pmem0s").orElseThrow(), acked, 0);
        Waits.until("acknowledged writes", () -> load.acked.get() > 200);
        List<String> removed = recordRemovals();
        NvdimmBus bus = virtioBus().orElseThrow();
        silence("hx"); // the host stops answering: flushers sleep until the device's freeze drains the queue
        Files.delete(cfg);
        Waits.until("the bus to go", () -> virtioBus().isEmpty());
        load.stopAndJoin();
        Waits.until("the bus's REMOVE event", () -> removed.contains(bus.name()));
        assertChildrenFirst(removed, bus.name());

        // Back on the same file: the BTT loads, the acknowledged sectors are there.
        Files.writeString(cfg, config);
        Waits.until("pmem0s again", () -> disk("pmem0s").isPresent());
        BlockDevice disk = disk("pmem0s").orElseThrow();
        assertAckedSectorsReadBack(disk, acked);

        // The bundle uninstalled under load.
        Load again = new Load(disk, acked, 1_000_000);
        Waits.until("acknowledged writes", () -> again.acked.get() > 200);
        NvdimmBus second = virtioBus().orElseThrow();
        List<String> removedAgain = recordRemovals();
        bundle.uninstall();
        assertTrue("the bus is gone", virtioBus().isEmpty());
        again.stopAndJoin();
        Waits.until("the bus's REMOVE event", () -> removedAgain.contains(second.name()));
        assertChildrenFirst(removedAgain, second.name());
        assertEquals("no lockdep report: " + lockdep.reports(), 0, lockdep.reports().size());

        // Redeployed: the data is there.
        context.installBundle(jar.toUri().toString()).start();
        Waits.until("pmem0s after redeploying", () -> disk("pmem0s").isPresent());
        assertAckedSectorsReadBack(disk("pmem0s").orElseThrow(), acked);
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

    /** The BTT, namespace and region of the bus were removed before the bus. */
    private static void assertChildrenFirst(List<String> removed, String bus) {
        int busAt = removed.indexOf(bus);
        for (String child : removed) {
            if (child.startsWith("btt") || child.startsWith("namespace") || child.startsWith("region")) {
                assertTrue(child + " removed after " + bus + ": " + removed, removed.indexOf(child) < busAt);
            }
        }
        assertTrue("the region went: " + removed, removed.stream().anyMatch(d -> d.startsWith("region")));
    }
}
