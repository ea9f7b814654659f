package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.Medium;

/**
 * The crash model of {@link RecordingMedium}: tiny workloads whose crash images are listed by
 * hand. An image is written as its 8-byte words in hex, lowest offset first.
 */
class RecordingMediumTest {

    private final RecordingMedium medium = new RecordingMedium("rec", 24);

    /** Every crash image of a point, each as its words, in enumeration order. */
    static List<String> images(CrashPoint point) {
        List<String> images = new ArrayList<>();
        point.forEachImage(Long.MAX_VALUE, 1, 0, image -> images.add(words(image)));
        return images;
    }

    static String words(Medium image) {
        StringBuilder words = new StringBuilder();
        for (long at = 0; at < image.size(); at += 8) {
            words.append(at == 0 ? "" : ",").append(Long.toHexString(image.readLong(at)));
        }
        return words.toString();
    }

    /** The crash points of a replay, each as its barrier and its image set. */
    private List<String> replay() {
        List<String> points = new ArrayList<>();
        medium.crashPoints(point -> points.add(point.barrier() + " " + new TreeSet<>(images(point))));
        return points;
    }

    private static List<String> sorted(List<String> images) {
        return new ArrayList<>(new TreeSet<>(images));
    }

    @Test
    void aQuietWorkloadHasOneImage() {
        assertEquals(List.of("end of log [0,0,0]"), replay());
        assertEquals(0, medium.pendingWords());
    }

    @Test
    void anUnpersistedStoreMayOrMayNotSurvive() {
        medium.writeLong(8, 0xa);
        assertEquals(1, medium.pendingWords());
        assertEquals(List.of("end of log [0,0,0, 0,a,0]"), replay());
    }

    @Test
    void aPersistedStoreSurvives() {
        medium.writeLong(8, 0xa);
        medium.persist(8, 8);
        assertEquals(0, medium.pendingWords());
        assertEquals(List.of("persist(8, 8) [0,0,0, 0,a,0]", "end of log [0,a,0]"), replay());
    }

    @Test
    void aWordMayShowAnyValueSinceItsLastBarrier() {
        medium.writeLong(0, 0xa);
        medium.writeLong(0, 0xb);
        medium.writeLong(0, 0xa); // a value seen before adds no image
        assertEquals(List.of("0,0,0", "a,0,0", "b,0,0"), images(medium.crashPoint()));
        medium.persist(0, 8);
        medium.writeLong(0, 0xc);
        assertEquals(List.of("a,0,0", "c,0,0"), images(medium.crashPoint()));
    }

    @Test
    void aWordBackAtItsPersistedValueStaysPendingUntilABarrier() {
        medium.writeLong(0, 0xa);
        medium.writeLong(0, 0);
        assertEquals(1, medium.pendingWords());
        assertEquals(List.of("0,0,0", "a,0,0"), images(medium.crashPoint()));
        try (Medium all = medium.crashPoint().allApplied()) {
            assertEquals("0,0,0", words(all));
        }
        medium.persist(0, 8);
        assertEquals(0, medium.pendingWords());
        assertEquals(List.of("0,0,0"), images(medium.crashPoint()));
    }

    @Test
    void rewritingTheSameValueChangesNothing() {
        medium.writeLong(0, 0);
        medium.write(8, new byte[8]);
        assertEquals(0, medium.pendingWords());
        medium.writeLong(16, 5);
        medium.persist(16, 8);
        medium.writeLong(16, 5);
        assertEquals(0, medium.pendingWords());
    }

    @Test
    void partialStoresMergeIntoTheirWord() {
        medium.writeLong(0, 0x1111111111111111L);
        medium.persist(0, 8);
        medium.write(3, new byte[] {0x22, 0x33});
        assertEquals(List.of("1111111111111111,0,0", "1111113322111111,0,0"), images(medium.crashPoint()));
        medium.writeInt(4, 0x44444444);
        assertEquals(List.of("1111111111111111,0,0", "1111113322111111,0,0", "4444444422111111,0,0"),
                images(medium.crashPoint()));
    }

    @Test
    void aStoreAcrossWordsIsTornAtTheWordBoundary() {
        medium.write(6, new byte[] {1, 2, 3, 4});
        assertEquals(2, medium.pendingWords());
        assertEquals(sorted(List.of("0,0,0", "201000000000000,0,0", "0,403,0", "201000000000000,403,0")),
                sorted(images(medium.crashPoint())));
    }

    @Test
    void anAtomicStoreIsOneUnit() {
        medium.writeInt(8, 0x01020304);
        medium.writeLong(16, -1L);
        CrashPoint point = medium.crashPoint();
        assertEquals(2, point.pendingWords());
        assertEquals(sorted(List.of("0,0,0", "0,1020304,0", "0,0,ffffffffffffffff", "0,1020304,ffffffffffffffff")),
                sorted(images(point)));
    }

    @Test
    void persistCoversEveryWordItsRangeTouches() {
        medium.writeLong(0, 1);
        medium.writeLong(8, 2);
        medium.writeLong(16, 3);
        medium.persist(7, 2); // one byte of word 0 and one of word 1
        assertEquals(1, medium.pendingWords());
        assertEquals(List.of("1,2,0", "1,2,3"), images(medium.crashPoint()));
        medium.persist(20, 1); // a byte inside word 2
        assertEquals(0, medium.pendingWords());
    }

    @Test
    void persistLeavesOtherWordsPendingAcrossTheBarrier() {
        medium.writeLong(0, 1);
        medium.writeLong(8, 2);
        medium.persist(0, 8);
        medium.writeLong(8, 3);
        assertEquals(List.of("1,0,0", "1,2,0", "1,3,0"), images(medium.crashPoint()));
    }

    @Test
    void anEmptyPersistPersistsNothing() {
        medium.writeLong(0, 1);
        medium.persist(0, 0);
        medium.persist(8, 0);
        assertEquals(1, medium.pendingWords());
    }

    @Test
    void syncPersistsEverything() {
        medium.writeLong(0, 1);
        medium.write(9, new byte[] {5});
        medium.writeLong(16, 3);
        medium.sync();
        assertEquals(0, medium.pendingWords());
        assertEquals(List.of("1,500,3"), images(medium.crashPoint()));
    }

    @Test
    void aDrainPersistsNothing() {
        medium.writeLong(0, 1);
        medium.persist(0, 8);
        medium.writeLong(8, 2);
        medium.drain();
        assertEquals(1, medium.pendingWords(), "the unpersisted word stays pending");
        assertEquals(List.of("1,0,0", "1,2,0"), images(medium.crashPoint()));
        assertEquals(new MediumEvent.Drain(), medium.log().getLast());
    }

    /** Negative control: a 16-byte record written without a barrier between its halves tears. */
    @Test
    void aRecordWithoutABarrierBetweenItsHalvesTears() {
        byte[] record = new byte[16];
        for (int i = 0; i < 16; i++) {
            record[i] = (byte) (0x10 + i);
        }
        medium.write(0, record);
        medium.persist(0, 16);
        List<String> crash = replay();
        assertEquals(2, crash.size());
        String torn = "0,1f1e1d1c1b1a1918,0"; // second half new, first half old
        String otherTorn = "1716151413121110,0,0";
        assertTrue(crash.get(0).contains(torn), crash.get(0));
        assertTrue(crash.get(0).contains(otherTorn), crash.get(0));
    }

    /** With a barrier between the halves, the second half never survives without the first. */
    @Test
    void aRecordWithABarrierBetweenItsHalvesNeverShowsTheSecondHalfAlone() {
        medium.writeLong(0, 0x1716151413121110L);
        medium.persist(0, 8);
        medium.writeLong(8, 0x1f1e1d1c1b1a1918L);
        medium.persist(8, 8);
        assertEquals(List.of(
                "persist(0, 8) [0,0,0, 1716151413121110,0,0]",
                "persist(8, 8) [1716151413121110,0,0, 1716151413121110,1f1e1d1c1b1a1918,0]",
                "end of log [1716151413121110,1f1e1d1c1b1a1918,0]"), replay());
        for (String point : replay()) {
            assertFalse(point.contains("[0,1f1e1d1c1b1a1918,0") || point.contains(" 0,1f1e1d1c1b1a1918,0"), point);
        }
    }

    @Test
    void aPointIsTakenOnlyAtBarriersThatFollowAStore() {
        medium.persist(0, 8);
        medium.writeLong(0, 1);
        medium.persist(0, 8);
        medium.persist(0, 8);
        medium.sync();
        medium.writeLong(8, 2);
        medium.sync();
        medium.sync();
        assertEquals(List.of("persist(0, 8) [0,0,0, 1,0,0]", "sync() [1,0,0, 1,2,0]", "end of log [1,2,0]"), replay());
    }

    @Test
    void pointsAreNumberedAndNamed() {
        medium.writeLong(0, 1);
        medium.sync();
        medium.writeLong(8, 2);
        List<String> points = new ArrayList<>();
        medium.crashPoints(point -> points.add(point.index() + " " + point));
        assertEquals(List.of("0 rec crash point 0 before sync()", "1 rec crash point 1 before end of log"), points);
    }

    @Test
    void pointsReportTheLastMarker() {
        medium.mark("format");
        medium.writeLong(0, 1);
        medium.persist(0, 8);
        medium.mark("write");
        medium.mark("write lba 5");
        medium.writeLong(8, 2);
        medium.persist(8, 8);
        List<String> markers = new ArrayList<>();
        medium.crashPoints(point -> markers.add(point.marker() + "|" + point));
        assertEquals(List.of(
                "format|rec crash point 0 before persist(0, 8) after marker 'format'",
                "write lba 5|rec crash point 1 before persist(8, 8) after marker 'write lba 5'",
                "write lba 5|rec crash point 2 before end of log after marker 'write lba 5'"), markers);
        assertEquals("write lba 5", medium.crashPoint().marker());
    }

    @Test
    void aPointWithoutMarkersHasAnEmptyOne() {
        medium.writeLong(0, 1);
        assertEquals("", medium.crashPoint().marker());
        assertEquals("rec crash point -1 before now", medium.crashPoint().toString());
        assertEquals(-1, medium.crashPoint().index());
        assertEquals("now", medium.crashPoint().barrier());
    }

    @Test
    void theLogListsStoresBarriersAndMarkersInOrder() {
        medium.write(2, new byte[] {1, 2});
        medium.writeInt(4, 0x0a0b0c0d);
        medium.writeLong(8, 0x0102030405060708L);
        medium.write(16, MemorySegment.ofArray(new byte[] {9, 9}));
        medium.mark("m");
        medium.persist(0, 8);
        medium.sync();
        assertEquals(List.of(
                new MediumEvent.Store(2, new byte[] {1, 2}, false),
                new MediumEvent.Store(4, HexFormat.of().parseHex("0d0c0b0a"), true),
                new MediumEvent.Store(8, HexFormat.of().parseHex("0807060504030201"), true),
                new MediumEvent.Store(16, new byte[] {9, 9}, false),
                new MediumEvent.Marker("m"),
                new MediumEvent.Persist(0, 8),
                new MediumEvent.Sync()), medium.log());
        assertEquals("[store(2, 0102), atomic store(4, 0d0c0b0a), atomic store(8, 0807060504030201), store(16, 0909),"
                + " marker 'm', persist(0, 8), sync()]", medium.log().toString());
    }

    @Test
    void theLogKeepsOnlyTheStoredRangeOfAnArray() {
        medium.write(0, new byte[] {1, 2, 3, 4, 5}, 1, 3);
        assertEquals(List.of(new MediumEvent.Store(0, new byte[] {2, 3, 4}, false)), medium.log());
        assertEquals(List.of("0,0,0", "40302,0,0"), images(medium.crashPoint()));
    }

    @Test
    void clearingTheLogReplaysFromThePresentIncludingPendingStores() {
        medium.writeLong(0, 1);
        medium.sync();
        medium.writeLong(8, 2); // pending when the log is cleared
        medium.mark("setup done");
        medium.clearLog();
        assertEquals(List.of(), medium.log());
        medium.writeLong(16, 3);
        medium.persist(16, 8);
        List<String> points = new ArrayList<>();
        medium.crashPoints(point -> points.add(point.marker() + " " + point.barrier() + " " + new TreeSet<>(images(point))));
        assertEquals(List.of(
                "setup done persist(16, 8) [1,0,0, 1,0,3, 1,2,0, 1,2,3]",
                "setup done end of log [1,0,3, 1,2,3]"), points);
    }

    @Test
    void aPointTakenNowIsASnapshot() {
        medium.writeLong(0, 1);
        CrashPoint before = medium.crashPoint();
        medium.writeLong(0, 2);
        medium.sync();
        assertEquals(List.of("0,0,0", "1,0,0"), images(before));
        assertEquals(1, before.pendingWords());
    }

    @Test
    void aReplayedPointCannotBeUsedAfterItsCallback() {
        medium.writeLong(0, 1);
        List<CrashPoint> kept = new ArrayList<>();
        medium.crashPoints(kept::add);
        CrashPoint point = kept.getFirst();
        assertThrows(IllegalStateException.class, point::pendingWords);
        assertThrows(IllegalStateException.class, point::imageCount);
        assertThrows(IllegalStateException.class, point::noneApplied);
        assertThrows(IllegalStateException.class, point::allApplied);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> point.forEachImage(1, 1, 0, image -> { }));
        assertEquals("rec crash point 0 before end of log was used after its crashPoints callback returned", e.getMessage());
    }

    @Test
    void replayingTwiceGivesTheSamePoints() {
        medium.writeLong(0, 1);
        medium.persist(0, 8);
        medium.writeLong(8, 2);
        assertEquals(replay(), replay());
    }

    @Test
    void theWorkloadMayGoOnWhileAReplayRuns() {
        medium.writeLong(0, 1);
        List<String> points = new ArrayList<>();
        medium.crashPoints(point -> {
            medium.writeLong(8, 7); // logged, but not part of this replay
            points.add(point.barrier() + " " + images(point));
        });
        assertEquals(List.of("end of log [0,0,0, 1,0,0]"), points);
        assertEquals(2, medium.log().size());
    }

    @Test
    void theLogOutlivesClosing() {
        medium.writeLong(0, 1);
        medium.close();
        assertEquals(List.of("end of log [0,0,0, 1,0,0]"), replay());
    }

    @Test
    void startsFromACopyOfAnInitialImageAllPersisted() {
        try (Medium initial = Media.memory("linux.img", 16)) {
            initial.writeLong(8, 0x55);
            try (RecordingMedium copy = new RecordingMedium("copy", initial)) {
                initial.writeLong(0, 0x66); // the copy is independent of its source
                assertEquals(0, copy.pendingWords());
                assertEquals(List.of("0,55"), images(copy.crashPoint()));
                assertEquals(0x55, copy.readLong(8));
                byte[] all = new byte[16];
                copy.read(0, all);
                assertArrayEquals(HexFormat.of().parseHex("00000000000000005500000000000000"), all);
            }
        }
    }

    @Test
    void concurrentWritersAreAllLogged() throws Exception {
        try (RecordingMedium shared = new RecordingMedium("shared", 4096)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 1024;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 128; i++) {
                        shared.writeLong(base + i * 8L, base + i + 1);
                        shared.persist(base + i * 8L, 8);
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertEquals(1024, shared.log().size());
            assertEquals(0, shared.pendingWords());
            try (Medium none = shared.crashPoint().noneApplied()) {
                for (int i = 0; i < 512; i++) {
                    assertEquals((i / 128) * 1024 + i % 128 + 1, none.readLong(i * 8L));
                }
            }
        }
    }

    @Test
    void everyMethodReleasesTheLock() throws Exception {
        List<Runnable> calls = List.of(
                () -> medium.write(0, new byte[] {1}),
                () -> medium.write(0, MemorySegment.ofArray(new byte[] {2})),
                () -> medium.writeInt(0, 3),
                () -> medium.writeLong(0, 4),
                () -> medium.persist(0, 8),
                medium::sync,
                () -> medium.mark("m"),
                medium::pendingWords,
                medium::crashPoint,
                () -> medium.crashPoints(point -> { }),
                medium::log,
                medium::clearLog);
        for (Runnable call : calls) {
            call.run();
            Thread other = Thread.ofPlatform().daemon().start(() -> medium.writeLong(8, 1));
            other.join(5_000);
            assertFalse(other.isAlive(), "another thread could not store after " + medium.log());
        }
    }

    @Test
    void refusesASizeOfZeroItself() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> new RecordingMedium("empty", 0));
        assertEquals("empty: a recording medium needs a positive multiple of 8 bytes, not 0 (EINVAL)", e.getMessage());
    }

    @Test
    void refusesToLogAStoreOfTwoGibibytes(@TempDir Path dir) throws Exception {
        try (FileChannel channel = FileChannel.open(dir.resolve("sparse"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
            MemorySegment huge = channel.map(FileChannel.MapMode.READ_WRITE, 0, 1L << 31, arena); // sparse, never touched
            NvdimmException e = assertThrows(NvdimmException.class, () -> medium.write(0, huge));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(List.of(), medium.log());
            MemorySegment largestLoggable = huge.asSlice(0, Integer.MAX_VALUE);
            assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> medium.write(0, largestLoggable)).errno(),
                    "a store of 2 GiB - 1 is loggable, so only the medium's size refuses it");
        }
    }
}
