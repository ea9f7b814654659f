package nvdimm.app.internal.kill;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The process-kill scenario for labels: a child runtime creating and destroying raw and sector
 * namespaces of a labeled region, SIGKILLed at random moments and restarted on the same data directory.
 * Each restart must find valid label areas ({@code ndctl:check-labels}), list exactly the acknowledged
 * namespaces plus at most the one in flight ({@link NamespaceLedger}), and find the BTT of every sector
 * namespace with a block device consistent ({@code ndctl:check-namespace -f}, run by the churn command
 * before it starts), and the region's capacity free but for the namespaces listed. The final check runs
 * {@code check-namespace} on every sector namespace listed.
 */
final class LabelKillScenario {

    static final String BUS_CFG = """
            dimms = 2
            dimm.size = 128M
            label.size = 128K
            regions = 0+1
            backing = file
            """;

    private final Path work;
    private final Path data;
    private final SplittableRandom random;
    private final PrintStream progress;
    private final NamespaceLedger ledger = new NamespaceLedger();
    private final KillTiming timing;
    private final String labelVersion;
    private int generation;
    private int verified;

    LabelKillScenario(Path work, long seed, PrintStream progress) {
        this.work = work;
        this.data = work.resolve("data");
        this.random = new SplittableRandom(seed);
        this.progress = progress;
        this.labelVersion = random.nextBoolean() ? "1.1" : "1.2";
        this.timing = new KillTiming(random.split(), 1000);
    }

    String labelVersion() {
        return labelVersion;
    }

    void setUp() throws IOException, InterruptedException {
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/nvdimm.emul-kill.cfg"), BUS_CFG);
        KillBundle.deploy(data);
        ChildRuntime setup = ChildRuntime.start(data, "ndctl:disable-region region0; ndctl:init-labels -V "
                + labelVersion + " nmem0 nmem1; ndctl:enable-region region0", work.resolve("logs"), "setup");
        int exit = setup.await(120);
        if (exit != 0) {
            throw new AssertionError("initializing the labels failed (" + exit + "):\n" + setup.output());
        }
    }

    void run(int kills) throws IOException, InterruptedException {
        for (int k = 0; k < kills; k++) {
            cycle();
            if ((k + 1) % 50 == 0) {
                progress.println("label kills: " + (k + 1) + " of " + kills + ", " + summary());
            }
        }
    }

    private void cycle() throws IOException, InterruptedException {
        generation++;
        Path report = work.resolve("reports/churn-" + generation + ".txt");
        Path listing = work.resolve("list.json");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(listing);
        ChildRuntime child = ChildRuntime.start(data, checks(listing) + "; killtest:churn region0 " + report + " "
                + random.nextLong(), work.resolve("logs"), "churn-" + generation);
        timing.awaitMoment(child, report);
        child.kill();
        CycleCheck.noErrors(child, "churn cycle " + generation);
        List<String> lines = ReportLines.read(report);
        if (!lines.isEmpty()) {
            verifyListing(listing, "after kill " + (generation - 1));
        }
        ledger.apply(lines);
        Files.deleteIfExists(report);
    }

    void finish() throws IOException, InterruptedException {
        Path listing = work.resolve("list.json");
        Files.deleteIfExists(listing);
        ChildRuntime child = ChildRuntime.start(data, checks(listing), work.resolve("logs"), "final");
        int exit = child.await(120);
        if (exit != 0) {
            throw new AssertionError("the final check failed (" + exit + "):\n" + child.output());
        }
        CycleCheck.noErrors(child, "the final check");
        List<String> sectors = verifyListing(listing, "at the end").stream()
                .filter(l -> l.mode().equals("sector") && l.blockdev()).map(l -> "ndctl:check-namespace -f " + l.dev())
                .toList();
        if (!sectors.isEmpty()) {
            ChildRuntime check = ChildRuntime.start(data, String.join("; ", sectors), work.resolve("logs"), "final-check");
            int checked = check.await(120);
            if (checked != 0) {
                throw new AssertionError("a sector namespace's BTT is not consistent (" + checked + "):\n"
                        + check.output());
            }
        }
    }

    private String checks(Path listing) {
        return "ndctl:check-labels nmem0 nmem1; ndctl:list -R -r region0 > " + regionListing() + "; ndctl:list -N -i -v"
                + " -r region0 > " + listing;
    }

    private Path regionListing() {
        return work.resolve("region.json");
    }

    private List<NamespaceLedger.Listed> verifyListing(Path listing, String when) throws IOException {
        List<NamespaceLedger.Listed> listed = new ArrayList<>();
        String text = Files.readString(listing);
        if (!text.isBlank()) {
            JsonNode root = new ObjectMapper().readTree(text);
            for (JsonNode n : root.isArray() ? root : List.of(root)) {
                if (n.path("size").asLong() == 0) {
                    continue; // the region's idle seed
                }
                String uuid = n.has("raw_uuid") ? n.get("raw_uuid").asText() : n.path("uuid").asText();
                listed.add(new NamespaceLedger.Listed(uuid, n.path("mode").asText(),
                        !"disabled".equals(n.path("state").asText("enabled")), n.has("blockdev"),
                        n.path("dev").asText()));
            }
        }
        try {
            ledger.verify(listed);
            JsonNode region = new ObjectMapper().readTree(Files.readString(regionListing()));
            region = region.isArray() ? region.get(0) : region;
            ledger.verifyCapacity(region.path("size").asLong(), region.path("available_size").asLong());
        } catch (AssertionError e) {
            throw new AssertionError("namespaces listed " + when + " (labels v" + labelVersion + "): " + e.getMessage()
                    + "\nlisting:\n" + text, e);
        }
        verified++;
        return listed;
    }

    String summary() {
        return timing.summary() + ", " + verified + " restarts verified, " + CycleCheck.lockdepReports(data)
                + " lockdep reports in the log, " + ledger.operations()
                + " operations acknowledged, " + ledger.inFlightAtVerify() + " found in flight ("
                + ledger.halfCreated() + " creates left without a block device), " + ledger.size()
                + " namespaces now";
    }
}
