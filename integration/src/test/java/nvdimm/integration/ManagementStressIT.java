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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.check.Verdict;
import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.NamespaceInfo;
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
 * Seed 001's multithreaded stress of the management interface, rebuilt (validator in THROW): operators
 * create, destroy, enable, disable and reconfigure namespaces (raw and sector), enable and disable regions,
 * list and check, while a writer writes and flushes a sector namespace and another thread updates and
 * deletes the provider's configuration and stops and starts its bundle. Afterwards: every thread returned,
 * no lockdep report, no device added or removed twice in a row, no device service without its device, every
 * BTT checks clean and no namespace reports a problem, and every sector whose write and flush returned reads
 * back. Duration: {@code -Dnvdimm.stress.seconds} (default 8).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ManagementStressIT {

    static final String CFG = """
            dimms = 3
            dimm.size = 64M
            label.size = 128K,128K,0
            regions = 0,1,2
            backing = file
            """;
    private static final int OPERATORS = 4;
    private static final int SECTOR = 512;
    private static final int KEEPER_SECTORS = 256;

    @Inject
    BundleContext context;

    @Inject
    DeviceCore core;

    @Inject
    Namespaces namespaces;

    @Inject
    BttChecker checker;

    @Inject
    Lockdep lockdep;

    @Inject
    nvdimm.namespace.label.LabelAreas labels;

    @Configuration
    public Option[] config() {
        return Runtime.options(Map.of("nvdimm.emul-stress.cfg", CFG));
    }

    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> examples = new ConcurrentHashMap<>();

    private void count(String what) {
        outcomes.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Runs one operation: success or an NvdimmException (any errno) is fine; anything else is a bug. */
    private boolean attempt(String op, Runnable r) {
        try {
            r.run();
            count(op + " ok");
            return true;
        } catch (NvdimmException e) {
            count(op + " " + e.errno());
            examples.putIfAbsent(op + " " + e.errno(), e.getMessage());
            return false;
        } catch (RuntimeException | Error e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            unexpected.add(op + ": " + trace);
            return false;
        }
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

    /** The label-less namespace in sector mode that the writer uses (operators never destroy or reconfigure it). */
    private Optional<NamespaceInfo> keeper() {
        return namespaces.list().stream().filter(n -> !n.labeled() && n.mode() == NamespaceMode.SECTOR).findFirst();
    }

    private List<Device> regions() {
        return core.devices().stream().filter(d -> d.type() == DeviceType.REGION).toList();
    }

    private static NamespaceSpec spec(Optional<String> region, long size, NamespaceMode mode) {
        return new NamespaceSpec(region, size == 0 ? OptionalLong.empty() : OptionalLong.of(size), mode,
                Optional.empty(), Optional.empty(), mode == NamespaceMode.SECTOR ? OptionalInt.of(SECTOR)
                        : OptionalInt.empty());
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
    }

    private void operate(Random random, long end) {
        while (System.nanoTime() < end && unexpected.isEmpty()) {
            List<NamespaceInfo> all;
            try {
                all = namespaces.list();
            } catch (NvdimmException e) {
                count("list " + e.errno());
                continue;
            }
            List<NamespaceInfo> labeled = all.stream().filter(n -> n.labeled() && !n.seed()).toList();
            Optional<NamespaceInfo> any = all.isEmpty() ? Optional.empty()
                    : Optional.of(all.get(random.nextInt(all.size())));
            Optional<NamespaceInfo> mine = labeled.isEmpty() ? Optional.empty()
                    : Optional.of(labeled.get(random.nextInt(labeled.size())));
            List<Device> regions = regions();
            NamespaceMode mode = random.nextBoolean() ? NamespaceMode.RAW : NamespaceMode.SECTOR;
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    List<Device> labeledRegions = regions.stream().filter(r -> !r.name().equals(keeperRegion()))
                            .toList();
                    if (!labeledRegions.isEmpty()) {
                        String region = labeledRegions.get(random.nextInt(labeledRegions.size())).name();
                        attempt("create", () -> namespaces.create(spec(Optional.of(region), 16L << 20, mode)));
                    }
                }
                case 2 -> mine.ifPresent(n -> attempt("destroy", () -> namespaces.destroy(n.dev(), true)));
                case 3 -> mine.ifPresent(n -> attempt("reconfigure", () -> namespaces.reconfigure(n.dev(),
                        spec(Optional.empty(), 0, mode), true)));
                case 4 -> any.ifPresent(n -> attempt("disable-namespace", () -> namespaces.disable(n.dev())));
                case 5 -> any.ifPresent(n -> attempt("enable-namespace", () -> namespaces.enable(n.dev())));
                case 6 -> {
                    if (!regions.isEmpty()) {
                        Device r = regions.get(random.nextInt(regions.size()));
                        attempt("disable-region", () -> core.disable(r));
                    }
                }
                case 7 -> regions.forEach(r -> attempt("enable-region", () -> core.enable(r)));
                case 8 -> mine.filter(n -> n.mode() == NamespaceMode.SECTOR).ifPresent(n -> attempt("check",
                        () -> checker.checkNamespace(n.dev(), CheckOptions.CHECK, true, Progress.NONE)));
                default -> attempt("list", () -> {
                    core.devices().forEach(Device::state);
                    namespaces.list().forEach(n -> namespaces.info(n.dev()));
                });
            }
        }
    }

    /**
     * The one finding of a BTT format that was cut off: no info block at all (the labels were written, the
     * format never started), or only the backup (the format writes the first info block last, as its commit).
     */
    private static boolean neverFormatted(CheckReport report) {
        if (report.findings().size() != 1) {
            return false;
        }
        String m = report.findings().getFirst().message();
        return m.startsWith("Unable to recover any BTT info blocks")
                || m.startsWith("the first info block at offset 0 is invalid; rebuilt from the backup");
    }

    private String keeperRegion() {
        return keeper().map(NamespaceInfo::region).orElse("");
    }

    /** Writes versions into the keeper's sectors; a version counts once its write and a later flush returned. */
    private void write(long[] acked, long end) {
        MemorySegment buf = MemorySegment.ofArray(new byte[SECTOR]);
        long version = 0;
        while (System.nanoTime() < end && unexpected.isEmpty()) {
            Optional<BlockDevice> d = keeper().flatMap(NamespaceInfo::blockdev).flatMap(this::disk);
            if (d.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            BlockDevice disk = d.get();
            int sector = (int) (version % KEEPER_SECTORS);
            long v = ++version;
            for (long off = 0; off < SECTOR; off += 16) {
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off, sector);
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8, v);
            }
            if (attempt("write", () -> disk.write(sector, buf)) && attempt("flush", disk::flush)) {
                acked[sector] = v;
            }
            if (v % 7 == 0) {
                attempt("read", () -> disk.read(sector, MemorySegment.ofArray(new byte[SECTOR])));
            }
        }
    }

    /** Updates the configuration (a changed key re-creates the bus), deletes and restores it, restarts the bundle. */
    private void churnProvider(Path cfg, Random random, long end) {
        int transfer = 4096;
        while (System.nanoTime() < end && unexpected.isEmpty()) {
            try {
                Thread.sleep(300 + random.nextInt(500));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        transfer = transfer == 4096 ? 8192 : 4096;
                        Files.writeString(cfg, CFG + "label.max.transfer = " + transfer + "\n");
                        count("provider update");
                    }
                    case 1 -> {
                        Files.delete(cfg);
                        Thread.sleep(700 + random.nextInt(500));
                        Files.writeString(cfg, CFG);
                        count("provider delete+create");
                    }
                    default -> {
                        Bundle emul = bundle("nvdimm.emul");
                        emul.stop();
                        emul.start();
                        count("provider stop+start");
                    }
                }
            } catch (Exception e) {
                unexpected.add("provider churn: " + e);
            }
        }
    }

    @Test
    public void concurrentManagementWithProviderChurnLeavesAConsistentStack() throws Exception {
        long seconds = Long.getLong("nvdimm.stress.seconds", 8);
        long seed = Long.getLong("nvdimm.stress.seed", System.nanoTime());
        System.out.println("management stress: seed " + seed + ", " + seconds + " s");
        Path cfg = Path.of(context.getProperty("nvdimm.data")).resolve("etc/nvdimm.emul-stress.cfg");
        Waits.until("the stress bus", () -> regions().size() == 3);
        core.waitProbeIdle();
        // Labels on the first two DIMMs (as ndctl init-labels: regions disabled meanwhile), none on the third.
        List<Device> labeledRegions = regions().stream().filter(r -> !r.name().equals("region2")).toList();
        labeledRegions.forEach(core::disable);
        labels.init("nmem0", nvdimm.namespace.label.LabelVersion.V1_2, false);
        labels.init("nmem1", nvdimm.namespace.label.LabelVersion.V1_2, false);
        labeledRegions.forEach(core::enable);
        core.waitProbeIdle();
        NamespaceInfo io = namespaces.list().stream().filter(n -> !n.labeled()).findFirst().orElseThrow();
        namespaces.reconfigure(io.dev(), spec(Optional.empty(), 0, NamespaceMode.SECTOR), true);
        Waits.until("the keeper's disk", () -> keeper().flatMap(NamespaceInfo::blockdev).flatMap(this::disk).isPresent());

        // Every Device object is registered as a service at most once at a time and unregistered only while
        // registered: service events are synchronous, so this sees the core's publications as they happen.
        Map<Device, Set<Object>> live = new java.util.IdentityHashMap<>();
        ConcurrentLinkedQueue<String> twice = new ConcurrentLinkedQueue<>();
        AtomicLong publications = new AtomicLong();
        org.osgi.framework.ServiceListener listener = event -> {
            ServiceReference<?> ref = event.getServiceReference();
            Object id = ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
            Object service = context.getService(ref);
            if (!(service instanceof Device d)) {
                return;
            }
            try {
                synchronized (live) {
                    Set<Object> ids = live.computeIfAbsent(d, k -> new HashSet<>());
                    if (event.getType() == org.osgi.framework.ServiceEvent.REGISTERED) {
                        publications.incrementAndGet();
                        if (!ids.isEmpty()) {
                            twice.add(d.name() + " registered twice");
                        }
                        ids.add(id);
                    } else if (event.getType() == org.osgi.framework.ServiceEvent.UNREGISTERING && !ids.remove(id)) {
                        twice.add(d.name() + " torn down while not registered");
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        };
        context.addServiceListener(listener, "(objectClass=" + Device.class.getName() + ")");
        synchronized (live) { // the services registered before the listener
            for (ServiceReference<Device> ref : context.getServiceReferences(Device.class, null)) {
                Device d = context.getService(ref);
                if (d != null) {
                    live.computeIfAbsent(d, k -> new HashSet<>()).add(ref.getProperty(org.osgi.framework.Constants.SERVICE_ID));
                    context.ungetService(ref);
                }
            }
        }

        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[] acked = new long[KEEPER_SECTORS];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < OPERATORS; i++) {
            Random random = new Random(seed + i);
            threads.add(new Thread(() -> operate(random, end), "operator-" + i));
        }
        threads.add(new Thread(() -> write(acked, end), "writer"));
        Random churn = new Random(seed - 1);
        threads.add(new Thread(() -> churnProvider(cfg, churn, end), "provider-churn"));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(120_000);
            assertFalse(t.getName() + " is blocked", t.isAlive());
        }
        System.out.println("management stress outcomes: " + new java.util.TreeMap<>(outcomes));
        System.out.println("management stress, one message per failure kind: " + new java.util.TreeMap<>(examples));
        assertTrue("only NvdimmExceptions: " + unexpected, unexpected.isEmpty());
        assertFalse("a BTT took the name of one not yet gone: " + examples, examples.values().stream()
                .anyMatch(m -> m.contains("a device with this name is registered")));
        assertEquals("no lockdep report: " + lockdep.reports(), 0, lockdep.reports().size());

        // Settle: the configuration as it started, the bundle running, everything enabled.
        Files.writeString(cfg, CFG);
        try {
            Waits.until("the stress bus after the churn", () -> regions().size() == 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; devices " + core.devices().stream()
                    .map(d -> d.name() + ":" + d.state()).toList() + "; emul " + bundle("nvdimm.emul").getState(), e);
        }
        core.waitProbeIdle();
        regions().forEach(core::enable);
        core.waitProbeIdle();
        namespaces.list().stream().filter(n -> !n.enabled() && !n.seed()).forEach(n -> namespaces.enable(n.dev()));
        core.waitProbeIdle();

        context.removeServiceListener(listener);
        assertTrue("devices registered or torn down twice: " + twice, twice.isEmpty());
        Set<String> devices = new HashSet<>();
        core.devices().forEach(d -> devices.add(d.name()));
        for (ServiceReference<Device> ref : context.getServiceReferences(Device.class, null)) {
            Device d = context.getService(ref);
            assertTrue("a service for a device that is gone: " + d.name(), devices.contains(d.name()));
            context.ungetService(ref);
        }
        Map<String, Verdict> verdicts = new HashMap<>();
        List<String> interrupted = new ArrayList<>();
        for (NamespaceInfo n : namespaces.list()) {
            if (n.mode() != NamespaceMode.SECTOR) {
                assertTrue(n.dev() + " reports a problem: " + n.problem(), n.problem().isEmpty());
                continue;
            }
            CheckReport report = checker.checkNamespace(n.dev(), CheckOptions.CHECK, true, Progress.NONE);
            verdicts.put(n.dev(), report.verdict());
            if (report.verdict() != Verdict.CONSISTENT && neverFormatted(report)) {
                // a create or reconfigure -m sector cut between its label write and its BTT format by the provider
                // going away: the labels claim a BTT that was never written, as ndctl leaves it in that window
                interrupted.add(n.dev());
                continue;
            }
            assertTrue(n.dev() + " reports a problem: " + n.problem(), n.problem().isEmpty());
            assertEquals(n.dev() + ": " + report.findings(), Verdict.CONSISTENT, report.verdict());
        }
        BlockDevice disk = keeper().flatMap(NamespaceInfo::blockdev).flatMap(this::disk).orElseThrow();
        MemorySegment buf = MemorySegment.ofArray(new byte[SECTOR]);
        int checked = 0;
        for (int sector = 0; sector < KEEPER_SECTORS; sector++) {
            if (acked[sector] == 0) {
                continue;
            }
            disk.read(sector, buf);
            long version = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            for (long off = 0; off < SECTOR; off += 16) {
                assertEquals("sector " + sector + " torn", sector, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off));
                assertEquals("sector " + sector + " torn", version, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8));
            }
            assertTrue("sector " + sector + " lost acknowledged version " + acked[sector] + ": " + version,
                    version >= acked[sector]);
            checked++;
        }
        long ops = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.println("management stress: " + ops + " operations, " + checked + " acknowledged sectors read back, "
                + (verdicts.size() - interrupted.size()) + " BTTs consistent, " + interrupted.size()
                + " sector configurations interrupted before their format " + interrupted + ", " + publications
                + " device publications");
        assertTrue("the writer acknowledged writes", checked > 0);
    }
}
