package nvdimm.btt.internal.check;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/** A small BTT made here, with a few sectors written, for the checker's tests. */
final class CheckFixture {
    static final long SIZE = 20L << 20;
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final Medium medium;
    final BttVersion version;
    final int lbasize;
    /** The sectors written, by LBA: {@code pattern(lba, round)} of the last round. */
    final long[] written = {0, 1, 2, 3, 100, 1000, 2000};

    CheckFixture(BttVersion version, int lbasize) {
        this.version = version;
        this.lbasize = lbasize;
        this.medium = Media.memory("ns", SIZE);
        Btt.format(medium, version, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
        Btt btt = load();
        for (int round = 0; round < 2; round++) {
            for (long lba : written) {
                btt.write(lba, MemorySegment.ofArray(pattern(lba, round)));
            }
        }
        btt.close();
    }

    Btt load() {
        return Btt.load("btt0.0", medium, version, Optional.empty(),
                TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }

    byte[] pattern(long lba, int round) {
        byte[] b = new byte[lbasize];
        Arrays.fill(b, (byte) (lba * 7 + round * 31 + 1));
        b[0] = (byte) lba;
        return b;
    }

    /** The content of every written sector after both rounds. */
    byte[] expected(long lba) {
        return pattern(lba, 1);
    }

    CheckReport check(CheckOptions options) {
        return BttCheck.check("namespace0.0", medium, Optional.empty(), options, Progress.NONE);
    }

    byte[] bytes() {
        byte[] all = new byte[(int) medium.size()];
        medium.read(0, all);
        return all;
    }

    long bttStart() {
        return version.initialOffset();
    }
}
