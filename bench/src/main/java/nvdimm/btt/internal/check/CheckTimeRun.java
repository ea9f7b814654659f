package nvdimm.btt.internal.check;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.internal.MutexLanePool;

/**
 * How a check's time grows with the map: a BTT on a sparse file of 64 MiB, 1 GiB and 16 GiB (512- and 4096-byte
 * sectors), a few sectors written, then {@link BttCheck} without repair, timed over several rounds; the time per
 * map entry should stay flat. Prints one line per size. Arguments: the rounds (default 3), the directory for the
 * files (default the temporary directory; each file is deleted after).
 *
 * <pre>java -cp bench/target/benchmarks.jar nvdimm.btt.internal.check.CheckTimeRun 3 /tmp</pre>
 */
public final class CheckTimeRun {
    private CheckTimeRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        Lockdep lockdep = new Lockdep(LockdepMode.OFF, r -> { });
        MutexLanePool.registerLockClasses(lockdep);
        System.out.println("| namespace | sector | map entries | check ms (best of " + rounds + ") | ns per entry |");
        System.out.println("|---|---|---|---|---|");
        for (int lbasize : new int[] {4096, 512}) {
            for (long size : new long[] {64L << 20, 1L << 30, 16L << 30}) {
                Path file = Files.createTempFile(dir, "check", ".img");
                try (Medium m = Media.mapFile(file, size, MapOption.EXTEND)) {
                    BttLayout layout = Btt.format(m, BttVersion.V1_1, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
                    Btt btt = Btt.load("btt0.0", m, BttVersion.V1_1, Optional.empty(),
                            new MutexLanePool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
                    byte[] data = new byte[lbasize];
                    for (long lba = 0; lba < 1000; lba++) {
                        btt.write(lba * 7 % btt.sectors(), MemorySegment.ofArray(data));
                    }
                    btt.close();
                    long best = Long.MAX_VALUE;
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        CheckReport report = BttCheck.check("ns", m, Optional.empty(), CheckOptions.CHECK, Progress.NONE);
                        best = Math.min(best, System.nanoTime() - t0);
                        if (!report.findings().isEmpty()) {
                            throw new IllegalStateException("not clean: " + report);
                        }
                    }
                    long entries = layout.externalNlba();
                    System.out.printf(Locale.ROOT, "| %d MiB | %d | %d | %.1f | %.1f |%n", size >> 20, lbasize, entries,
                            best / 1e6, (double) best / entries);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
