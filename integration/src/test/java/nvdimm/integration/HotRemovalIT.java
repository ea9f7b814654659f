package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Hot removal under I/O: writers and flushers on a BTT namespace and readers and writers on a raw namespace of a
 * file-backed emulated bus, while the provider bundle is stopped, then uninstalled, and the BTT bundle is stopped:
 * every caller returns with success or a clean ENXIO/EIO, never hangs; the tree goes children first; after
 * redeploying, every sector whose write and a later flush returned reads back. Validator in THROW, no report.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotRemovalIT {

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

    static final String CFG = """
            dimms = 2
            dimm.size = 64M
            label.size = 0
            regions = 0,1
            backing = file
            """;

    @Configuration
    public Option[] config() {
        return Runtime.options(Map.of("nvdimm.emul-hot.cfg", CFG));
    }

    private Optional<NvdimmBus> hotBus() {
        return core.buses().stream().filter(b -> b.provider().equals("emul.hot")).findFirst();
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

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
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
                        if (!call(() -> disk.write(lba(disk, sector), buf)) || !call(disk::flush)) {
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

    /** Slot {@code slot}'s first sector: each slot is 4 KiB, whatever the disk's sector size. */
    static long lba(BlockDevice disk, int slot) {
        return (long) slot * (SECTOR / disk.sectorSize());
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
            disk.read(lba(disk, sector), buf);
            long version = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            for (long off = 0; off < SECTOR; off += 16) {
                assertEquals("sector " + sector + " is torn", sector, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off));
                assertEquals("sector " + sector + " is torn", version, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8));
            }
            assertTrue("sector " + sector + " lost its acknowledged version " + ackedVersion[sector] + ": " + version,
                    version >= ackedVersion[sector]);
        }
    }

    private void setUp() throws Exception {
        Waits.until("the hot bus", () -> hotBus().isPresent());
        core.waitProbeIdle();
        Waits.until("its namespaces", () -> namespaces.find("namespace0.0").isPresent()
                && namespaces.find("namespace1.0").isPresent());
        if (disk("pmem0s").isEmpty()) {
            namespaces.reconfigure("namespace0.0", new NamespaceSpec(Optional.empty(), OptionalLong.empty(),
                    NamespaceMode.SECTOR, Optional.empty(), Optional.empty(), OptionalInt.of(SECTOR)), true);
        }
        Waits.until("pmem0s and pmem1", () -> disk("pmem0s").isPresent() && disk("pmem1").isPresent());
    }

    /** Load on the BTT and on the raw disk; removal by {@code remove}; every caller returns cleanly. */
    private List<Load> removeUnderLoad(long[] ackedBtt, long[] ackedRaw, long firstVersion, String what,
            ThrowingRunnable remove) throws Exception {
        Load btt = new Load(disk("pmem0s").orElseThrow(), ackedBtt, firstVersion);
        Load raw = new Load(disk("pmem1").orElseThrow(), ackedRaw, firstVersion);
        Waits.until("acknowledged writes before " + what, () -> btt.acked.get() > 100 && raw.acked.get() > 100);
        List<String> removed = recordRemovals();
        NvdimmBus bus = hotBus().orElseThrow();
        remove.run();
        // callers go on calling into the devices that went: they must see clean errors, not hangs
        Waits.until("the BTT callers to see the removal", () -> !btt.errnos.isEmpty());
        if (!what.equals("stopping the BTT bundle")) {
            Waits.until("the raw callers to see the removal", () -> !raw.errnos.isEmpty());
        }
        btt.stopAndJoin();
        raw.stopAndJoin();
        if (!what.equals("stopping the BTT bundle")) {
            Waits.until("the bus's REMOVE event after " + what, () -> removed.contains(bus.name()));
            assertChildrenFirst(removed, bus.name());
        }
        System.out.println("hot removal, " + what + ": acked " + btt.acked + " BTT and " + raw.acked
                + " raw writes; errnos " + btt.errnos + " and " + raw.errnos);
        return List.of(btt, raw);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void stoppingOrUninstallingTheProviderAndStoppingTheBttBundleUnderIoLeaveCleanErrorsAndTheData()
            throws Exception {
        setUp();
        long[] ackedBtt = new long[WRITERS * SECTORS_PER_WRITER];
        long[] ackedRaw = new long[WRITERS * SECTORS_PER_WRITER];

        removeUnderLoad(ackedBtt, ackedRaw, 0, "stopping the provider", () -> bundle("nvdimm.emul").stop());
        assertTrue(hotBus().isEmpty());
        bundle("nvdimm.emul").start();
        setUp();
        assertAckedSectorsReadBack(disk("pmem0s").orElseThrow(), ackedBtt);
        assertAckedSectorsReadBack(disk("pmem1").orElseThrow(), ackedRaw);

        removeUnderLoad(ackedBtt, ackedRaw, 1_000_000, "stopping the BTT bundle", () -> bundle("nvdimm.btt").stop());
        assertTrue("pmem0s went with the BTT bundle", disk("pmem0s").isEmpty());
        bundle("nvdimm.btt").start();
        setUp();
        assertAckedSectorsReadBack(disk("pmem0s").orElseThrow(), ackedBtt);
        assertAckedSectorsReadBack(disk("pmem1").orElseThrow(), ackedRaw);

        Path jar = Runtime.bundleFiles().stream()
                .filter(p -> p.getFileName().toString().equals("nvdimm.emul.jar")).findFirst().orElseThrow();
        removeUnderLoad(ackedBtt, ackedRaw, 2_000_000, "uninstalling the provider", () -> bundle("nvdimm.emul")
                .uninstall());
        context.installBundle(jar.toUri().toString()).start();
        setUp();
        assertAckedSectorsReadBack(disk("pmem0s").orElseThrow(), ackedBtt);
        assertAckedSectorsReadBack(disk("pmem1").orElseThrow(), ackedRaw);
        assertEquals("no lockdep report: " + lockdep.reports(), 0, lockdep.reports().size());
    }

    /** The BTT, namespace and region of the bus were removed before the bus. */
    private static void assertChildrenFirst(List<String> removed, String bus) {
        int busAt = removed.indexOf(bus);
        for (String child : removed) {
            if (child.startsWith("btt") || child.startsWith("namespace") || child.startsWith("region")) {
                assertTrue(child + " removed after " + bus + ": " + removed, removed.indexOf(child) < busAt);
            }
        }
        assertTrue("the regions went: " + removed, removed.stream().anyMatch(d -> d.startsWith("region")));
    }
}
