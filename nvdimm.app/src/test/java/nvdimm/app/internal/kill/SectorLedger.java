package nvdimm.app.internal.kill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parent's account of every sector: per LBA the version that must be there at least (the last one
 * acknowledged, or the one read back after the last restart; none means its initial zeros) and the
 * newer versions whose write was started but not acknowledged (any of them may have landed). A dump
 * passes when every sector is whole (no torn sector), belongs to its LBA, and holds the floor version or
 * one of those candidates (no acknowledged and flushed write lost, nothing that was never written).
 */
final class SectorLedger {

    private final Map<Long, Long> floor = new HashMap<>();
    private final Map<Long, TreeSet<Long>> candidates = new HashMap<>();
    private long acknowledged;

    /** Applies a child's report lines ({@code W}, {@code A}; an {@code E} line is a writer failure). */
    void apply(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "W" -> candidates.computeIfAbsent(Long.parseLong(f[1]), k -> new TreeSet<>()).add(Long.parseLong(f[2]));
                case "A" -> acked(Long.parseLong(f[1]), Long.parseLong(f[2]));
                case "E" -> throw new AssertionError("the writer failed: " + line);
                case "S" -> { }
                default -> throw new AssertionError("unknown report line: " + line);
            }
        }
    }

    private void acked(long lba, long version) {
        acknowledged++;
        floor.merge(lba, version, Math::max);
        TreeSet<Long> c = candidates.get(lba);
        if (c != null) {
            c.headSet(version, true).clear();
        }
    }

    long acknowledged() {
        return acknowledged;
    }

    /**
     * Checks a dump of the whole device against the account; on success the versions read back become
     * the floors (they survived a restart) and no write is in flight any more.
     *
     * @throws AssertionError naming each torn, lost or unexpected sector (the first 20)
     */
    void verify(Path dump, int sectorSize, long sectors) {
        List<String> problems = new ArrayList<>();
        Map<Long, Long> seen = new HashMap<>();
        byte[] sector = new byte[sectorSize];
        try (FileChannel in = FileChannel.open(dump, StandardOpenOption.READ)) {
            if (in.size() != sectors * sectorSize) {
                throw new AssertionError("dump " + dump + " has " + in.size() + " bytes, not " + sectors + " sectors of "
                        + sectorSize);
            }
            for (long lba = 0; lba < sectors; lba++) {
                ByteBuffer b = ByteBuffer.wrap(sector);
                while (b.hasRemaining()) {
                    in.read(b);
                }
                String problem = check(lba, SectorPattern.decode(sector, lba), seen);
                if (problem != null) {
                    problems.add("LBA " + lba + ": " + problem);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " bad sectors: "
                    + String.join("; ", problems.subList(0, Math.min(20, problems.size()))));
        }
        floor.putAll(seen);
        candidates.clear();
    }

    private String check(long lba, SectorPattern.Decoded read, Map<Long, Long> seen) {
        long must = floor.getOrDefault(lba, 0L);
        TreeSet<Long> maybe = candidates.getOrDefault(lba, new TreeSet<>());
        return switch (read.kind()) {
            case TORN -> "torn: " + read.problem();
            case INITIAL -> must == 0 ? null : "lost: reads its initial zeros, version " + must + " was acknowledged";
            case WHOLE -> {
                long v = read.version();
                if (v == must || maybe.contains(v)) {
                    seen.put(lba, v);
                    yield null;
                }
                yield v < must ? "lost: reads version " + v + ", version " + must + " was acknowledged"
                        : "unexpected version " + v + " (acknowledged " + must + ", in flight " + maybe + ")";
            }
        };
    }
}
