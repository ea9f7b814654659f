package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.Mutex;
import nvdimm.region.Badblocks.Range;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegionBadblocksTest {
    static final long A = 1L << 32; // region start
    static final long SIZE = 1 << 20; // 2048 sectors

    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    RegionBadblocks bb;

    @BeforeEach
    void create() {
        RegionLocks.register(lockdep);
        bb = new RegionBadblocks("region0", lockdep);
    }

    @Test
    void addMergesOverlappingAndAdjacentRangesAndKeepsOrder() {
        assertTrue(bb.add(100, 10));
        assertTrue(bb.add(10, 5));
        assertTrue(bb.add(110, 5)); // adjacent: joins 100..109
        assertTrue(bb.add(12, 10)); // overlaps 10..14
        assertFalse(bb.add(101, 3), "already bad");
        assertEquals(List.of(new Range(10, 12), new Range(100, 15)), bb.ranges());
        assertTrue(bb.add(0, 200));
        assertEquals(List.of(new Range(0, 200)), bb.ranges());
        assertEquals(200, bb.sectors());
        assertFalse(bb.isEmpty());
    }

    @Test
    void clearCutsSplitsAndRemoves() {
        bb.add(0, 100);
        bb.add(200, 10);
        assertTrue(bb.clear(40, 20)); // splits 0..99
        assertEquals(List.of(new Range(0, 40), new Range(60, 40), new Range(200, 10)), bb.ranges());
        assertTrue(bb.clear(0, 10)); // cuts the head
        assertTrue(bb.clear(95, 115)); // cuts a tail and removes 200..209 whole
        assertEquals(List.of(new Range(10, 30), new Range(60, 35)), bb.ranges());
        assertFalse(bb.clear(1000, 5), "nothing there");
        assertTrue(bb.clear(0, 1000));
        assertTrue(bb.isEmpty());
        assertEquals(0, bb.sectors());
    }

    @Test
    void checkReturnsTheFirstWholeRecordedRangeThatOverlaps() {
        bb.add(10, 5);
        bb.add(30, 5);
        bb.add(50, 5);
        assertEquals(Optional.empty(), bb.check(0, 10));
        assertEquals(Optional.of(new Range(10, 5)), bb.check(0, 11));
        assertEquals(Optional.of(new Range(10, 5)), bb.check(14, 100));
        assertEquals(Optional.of(new Range(30, 5)), bb.check(15, 16));
        assertEquals(Optional.empty(), bb.check(15, 15));
        assertEquals(Optional.of(new Range(50, 5)), bb.check(54, 1));
        assertEquals(Optional.empty(), bb.check(55, 1000));
        assertTrue(bb.isBad(32, 1));
        assertFalse(bb.isBad(35, 15));
    }

    @Test
    void badArgumentsAreEinval() {
        for (Runnable r : List.<Runnable>of(() -> bb.add(-1, 1), () -> bb.add(0, 0), () -> bb.clear(0, -1),
                () -> bb.check(-5, 1), () -> bb.check(Long.MAX_VALUE, 1))) {
            NvdimmException e = assertThrows(NvdimmException.class, r::run);
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith("region0: badblocks"), e.getMessage());
        }
    }

    @Test
    void snapshotsAreImmutableAndDoNotChangeUnderTheReader() {
        bb.add(1, 1);
        List<Range> before = bb.ranges();
        bb.add(5, 1);
        assertEquals(List.of(new Range(1, 1)), before);
        assertThrows(UnsupportedOperationException.class, () -> before.add(new Range(9, 9)));
    }

    @Test
    void changesTakeTheBadblocksLockAndItIsALeaf() {
        // a writer holding an atomic lock would sleep on the badblocks mutex: reported
        LockClass spin = LockClass.of("test.spin", LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        Mutex s = lockdep.newMutex(spin);
        s.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, () -> bb.add(1, 1));
            assertEquals(LockdepReport.Kind.SLEEP_IN_ATOMIC, e.report().kind());
        } finally {
            s.unlock();
        }
        // readers take no lock at all
        s.lock();
        try {
            bb.check(0, 10);
            bb.ranges();
        } finally {
            s.unlock();
        }
        assertEquals(1, lockdep.reports().size());
    }

    // ------------------------------------------------------------------ conversions

    @Test
    void recordsInsideTheRegionBecomeRegionRelativeSectorsRoundedOut() {
        assertEquals(Optional.of(new Range(0, 1)), RegionBadblocks.toRegionSectors(new ErrorRecord(A, 8), A, SIZE));
        assertEquals(Optional.of(new Range(2, 1)), RegionBadblocks.toRegionSectors(new ErrorRecord(A + 1024, 512), A, SIZE));
        // unaligned on both ends: 1000..1599 touches sectors 1, 2 and 3
        assertEquals(Optional.of(new Range(1, 3)), RegionBadblocks.toRegionSectors(new ErrorRecord(A + 1000, 600), A, SIZE));
        assertEquals(Optional.of(new Range(2047, 1)),
                RegionBadblocks.toRegionSectors(new ErrorRecord(A + SIZE - 1, 1), A, SIZE));
    }

    @Test
    void recordsStraddlingTheRegionsStartOrEndAreClippedFirst() {
        // starts 4 KiB before the region and ends 100 bytes into it: sector 0 only
        assertEquals(Optional.of(new Range(0, 1)), RegionBadblocks.toRegionSectors(new ErrorRecord(A - 4096, 4196), A, SIZE));
        // starts in the last sector and runs far past the end: sector 2047 only
        assertEquals(Optional.of(new Range(2047, 1)),
                RegionBadblocks.toRegionSectors(new ErrorRecord(A + SIZE - 10, 1 << 20), A, SIZE));
        // covers the whole region and more on both sides
        assertEquals(Optional.of(new Range(0, 2048)),
                RegionBadblocks.toRegionSectors(new ErrorRecord(A - 1, SIZE + 2), A, SIZE));
        // reaches the end of the address space
        assertEquals(Optional.of(new Range(2046, 2)),
                RegionBadblocks.toRegionSectors(new ErrorRecord(A + SIZE - 1024, Long.MAX_VALUE - A), A, SIZE));
    }

    @Test
    void recordsOutsideTheRegionAreIgnored() {
        assertEquals(Optional.empty(), RegionBadblocks.toRegionSectors(new ErrorRecord(A - 512, 512), A, SIZE));
        assertEquals(Optional.empty(), RegionBadblocks.toRegionSectors(new ErrorRecord(A + SIZE, 512), A, SIZE));
        assertEquals(Optional.empty(), RegionBadblocks.toRegionSectors(new ErrorRecord(0, 8), A, SIZE));
    }

    @Test
    void manyRecordsAreConvertedAndMerged() {
        List<Range> r = RegionBadblocks.toRegionSectors(List.of(new ErrorRecord(A + 4096, 1),
                new ErrorRecord(A + 512, 8), new ErrorRecord(A + 4097, 1000), new ErrorRecord(A - 100, 50),
                new ErrorRecord(A, 1)), A, SIZE);
        assertEquals(List.of(new Range(0, 2), new Range(8, 2)), r);
    }

    @Test
    void wholeSectorsRoundsInward() {
        assertEquals(Optional.of(new Range(0, 1)), RegionBadblocks.wholeSectors(0, 512));
        assertEquals(Optional.of(new Range(1, 1)), RegionBadblocks.wholeSectors(1, 1023));
        assertEquals(Optional.empty(), RegionBadblocks.wholeSectors(1, 1022));
        assertEquals(Optional.empty(), RegionBadblocks.wholeSectors(0, 511));
        assertEquals(Optional.of(new Range(2, 3)), RegionBadblocks.wholeSectors(1024, 1600));
    }

    @Test
    void theLastSectorOfTheAddressSpaceIsAcceptedAndTheListPrints() {
        assertEquals(Optional.empty(), bb.check(Long.MAX_VALUE - 1, 1));
        assertTrue(bb.add(Long.MAX_VALUE - 1, 1));
        assertTrue(bb.add(1, 1));
        assertEquals("region0 badblocks [1 1, " + (Long.MAX_VALUE - 1) + " 1]", bb.toString());
    }

    @Test
    void mergeOfNothingIsEmpty() {
        assertEquals(List.of(), RegionBadblocks.merge(List.of()));
        assertFalse(bb.addAll(List.of()));
    }
}
