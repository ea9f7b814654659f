package nvdimm.app.internal.kill;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The soak form of {@link ProcessKillIT}, run outside Maven for hours: {@code ProcessKillSoak sectors|labels
 * KILLS SEED WORKDIR} (with {@code -Dnvdimm.jar=...}). Prints progress every 50 kills and exits 0 when every
 * kill was verified, 1 at the first failure (with the seed, to repeat it).
 */
public final class ProcessKillSoak {

    private ProcessKillSoak() {
    }

    public static void main(String[] args) throws Exception {
        String which = args[0];
        int kills = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Path work = Files.createDirectories(Path.of(args[3]));
        System.out.println("soak " + which + ": " + kills + " kills, seed " + seed + ", work " + work);
        try {
            if (which.equals("sectors")) {
                SectorKillScenario s = new SectorKillScenario(work, seed, System.out);
                System.out.println(s.layout());
                s.setUp();
                s.run(kills);
                s.finish();
                System.out.println("soak sectors done: " + kills + " kills, " + s.summary());
            } else {
                LabelKillScenario s = new LabelKillScenario(work, seed, System.out);
                System.out.println("labels v" + s.labelVersion());
                s.setUp();
                s.run(kills);
                s.finish();
                System.out.println("soak labels done: " + kills + " kills, " + s.summary());
            }
        } catch (AssertionError e) {
            System.out.println("soak " + which + " FAILED, seed " + seed + ": " + e.getMessage());
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }
}
