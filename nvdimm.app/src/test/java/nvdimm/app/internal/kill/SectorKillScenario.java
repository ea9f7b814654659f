package nvdimm.app.internal.kill;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process-kill scenario for sectors: a BTT namespace on a file-backed emulated bus, a child runtime
 * writing to its {@code pmem0s} from several threads, SIGKILLed at random moments and restarted on the
 * same data directory. Each restart must load the BTT, find it consistent ({@code ndctl:check-namespace}),
 * and give back every acknowledged and flushed write and no torn sector ({@link SectorLedger}).
 */
final class SectorKillScenario {

    static final int[] SECTOR_SIZES = {512, 520, 528, 4096, 4104, 4160, 4224};
    static final String BUS_CFG = """
            dimms = 1
            dimm.size = 32M
            label.size = %s
            regions = 0
            backing = file
            """;

    private final Path work;
    private final Path data;
    private final SplittableRandom random;
    private final PrintStream progress;
    private final SectorLedger ledger = new SectorLedger();
    private final KillTiming timing;
    private final int sectorSize;
    private final boolean labeled;
    private int generation;
    private int verified;

    SectorKillScenario(Path work, long seed, PrintStream progress) {
        this.work = work;
        this.data = work.resolve("data");
        this.random = new SplittableRandom(seed);
        this.progress = progress;
        this.sectorSize = SECTOR_SIZES[random.nextInt(SECTOR_SIZES.length)];
        this.labeled = random.nextBoolean();
        this.timing = new KillTiming(random.split(), 300);
    }

    int sectorSize() {
        return sectorSize;
    }

    /** Label-less (BTT 1.1 at 4 KiB) or on v1.2 labels (BTT 2.0 at 0, claimed by the labels). */
    String layout() {
        return (labeled ? "v1.2 labels, BTT 2.0" : "label-less, BTT 1.1") + ", sector size " + sectorSize;
    }

    Path data() {
        return data;
    }

    /** A data directory with only the kill bus, its namespace in sector mode, the test bundle deployed. */
    void setUp() throws IOException, InterruptedException {
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/nvdimm.emul-kill.cfg"), BUS_CFG.formatted(labeled ? "128K" : "0"));
        KillBundle.deploy(data);
        String create = labeled
                ? "ndctl:disable-region region0; ndctl:init-labels -V 1.2 nmem0; ndctl:enable-region region0;"
                        + " ndctl:create-namespace -r region0 -m sector -l " + sectorSize
                : "ndctl:create-namespace -f -e namespace0.0 -m sector -l " + sectorSize;
        ChildRuntime setup = ChildRuntime.start(data, create, work.resolve("logs"), "setup");
        int exit = setup.await(120);
        if (exit != 0) {
            throw new AssertionError("setting up the sector namespace failed (" + exit + "):\n" + setup.output());
        }
    }

    /** Runs {@code kills} kill cycles. */
    void run(int kills) throws IOException, InterruptedException {
        for (int k = 0; k < kills; k++) {
            cycle("honest");
            if ((k + 1) % 50 == 0) {
                progress.println("sector kills: " + (k + 1) + " of " + kills + ", " + summary());
            }
        }
    }

    /** One child writing in {@code mode}, killed; its dump verified; its report applied. */
    void cycle(String mode) throws IOException, InterruptedException {
        generation++;
        Path report = work.resolve("reports/write-" + generation + ".txt");
        Files.createDirectories(report.getParent());
        ChildRuntime child = ChildRuntime.start(data, script(report, mode), work.resolve("logs"), "write-" + generation);
        if (mode.equals("honest")) {
            timing.awaitMoment(child, report);
        } else {
            awaitAcknowledgement(child, report); // a liar's kill comes after its lie
        }
        child.kill();
        List<String> lines = ReportLines.read(report);
        CycleCheck.noErrors(child, "write cycle " + generation);
        if (!lines.isEmpty() && lines.get(0).startsWith("S ")) {
            verifyDump(lines.get(0), "after kill " + (generation - 1));
        }
        ledger.apply(lines);
        Files.deleteIfExists(report);
    }

    private static void awaitAcknowledgement(ChildRuntime child, Path report) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (ReportLines.read(report).stream().noneMatch(l -> l.startsWith("A "))) {
            if (!child.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("the writer acknowledged nothing:\n" + child.output());
            }
            Thread.sleep(5);
        }
    }

    /** A last child that checks, dumps and exits; then the image checked offline by {@code nvdimm:check-image}. */
    void finish() throws IOException, InterruptedException {
        generation++;
        Path report = work.resolve("reports/final.txt");
        ChildRuntime child = ChildRuntime.start(data, script(report, "verify"), work.resolve("logs"), "final");
        int exit = child.await(120);
        if (exit != 0) {
            throw new AssertionError("the final check failed (" + exit + "):\n" + child.output());
        }
        CycleCheck.noErrors(child, "the final check");
        List<String> lines = ReportLines.read(report);
        verifyDump(lines.get(0), "at the end");
        Path image = data.resolve("media/emul.kill/dimm0.img");
        ChildRuntime offline = ChildRuntime.start(work.resolve("scratch"), "nvdimm:check-image -l "
                + (labeled ? "128K " : "0 ") + image,
                work.resolve("logs"), "check-image");
        int checked = offline.await(120);
        if (checked != 0 || !offline.stdout().contains("consistent")) {
            throw new AssertionError("nvdimm:check-image found the image inconsistent (" + checked + "):\n"
                    + offline.output());
        }
    }

    private String script(Path report, String mode) {
        return "ndctl:check-namespace -f namespace0.0; killtest:write pmem0s " + work.resolve("dump.bin") + " " + report
                + " " + generation + " 3 " + mode;
    }

    private void verifyDump(String started, String when) {
        String[] f = started.split(" ");
        try {
            ledger.verify(work.resolve("dump.bin"), Integer.parseInt(f[2]), Long.parseLong(f[1]));
        } catch (AssertionError e) {
            throw new AssertionError("sectors read back " + when + " (" + layout() + "): "
                    + e.getMessage(), e);
        }
        verified++;
    }

    String summary() {
        return timing.summary() + ", " + verified + " restarts verified, " + CycleCheck.lockdepReports(data)
                + " lockdep reports in the log, " + ledger.acknowledged()
                + " writes acknowledged";
    }
}
