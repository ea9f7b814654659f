package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

class BttTest {
    static final long SIZE = 32L << 20;
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    Btt fresh(Medium m, int lbasize) {
        Btt.format(m, BttVersion.V1_1, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
        return open(m);
    }

    Btt open(Medium m) {
        return Btt.load("btt0.0", m, BttVersion.V1_1, Optional.empty(),
                TestLanes.pool("region0", lockdep, 4, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 520, 528, 4096, 4104, 4160, 4224})
    void writtenSectorsReadBackAfterReload(int lbasize) {
        try (Medium m = Media.memory("ns", SIZE)) {
            Btt btt = fresh(m, lbasize);
            Random rnd = new Random(lbasize);
            long[] lbas = {0, 1, btt.sectors() - 1, btt.sectors() / 2, 1};
            byte[][] data = new byte[lbas.length][lbasize];
            for (int i = 0; i < lbas.length; i++) {
                rnd.nextBytes(data[i]);
                btt.write(lbas[i], MemorySegment.ofArray(data[i]));
            }
            assertEquals(java.util.List.of(), btt.consistencyProblems());
            Btt again = open(m);
            for (int i = 2; i < lbas.length; i++) { // LBA 1 was written twice: its second data counts
                byte[] got = new byte[lbasize];
                again.read(lbas[i], MemorySegment.ofArray(got));
                assertArrayEquals(data[i], got, "LBA " + lbas[i]);
            }
            assertEquals(java.util.List.of(), again.consistencyProblems());
        }
    }

    @Test
    void anUnwrittenSectorReadsItsIdentityBlock() {
        try (Medium m = Media.memory("ns", SIZE)) {
            Btt btt = fresh(m, 512);
            byte[] got = new byte[512];
            btt.read(7, MemorySegment.ofArray(got));
            assertArrayEquals(new byte[512], got);
            NvdimmException e = assertThrows(NvdimmException.class,
                    () -> btt.read(btt.sectors(), MemorySegment.ofArray(got)));
            assertEquals(Errno.ENXIO, e.errno());
            assertTrue(btt.sectors() > 60000);
        }
    }
}
