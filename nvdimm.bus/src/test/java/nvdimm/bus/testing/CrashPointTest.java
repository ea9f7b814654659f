package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** Enumerating, sampling and naming crash images, and running checkers on them. */
class CrashPointTest {

    /** A medium with {@code words} pending words, word {@code i} holding {@code values} successive values. */
    private static RecordingMedium pending(int words, int values) {
        RecordingMedium medium = new RecordingMedium("rec", 8L * Math.max(words, 1));
        for (int v = 1; v <= values; v++) {
            for (int w = 0; w < words; w++) {
                medium.writeLong(8L * w, v);
            }
        }
        return medium;
    }

    private static List<String> all(CrashPoint point, long bound, int samples, long seed) {
        List<String> images = new ArrayList<>();
        point.forEachImage(bound, samples, seed, image -> images.add(RecordingMediumTest.words(image)));
        return images;
    }

    @Test
    void countsImagesAsTheProductOfChoices() {
        assertEquals(1, pending(0, 0).crashPoint().imageCount());
        assertEquals(2, pending(1, 1).crashPoint().imageCount());
        assertEquals(3 * 3 * 3, pending(3, 2).crashPoint().imageCount());
        RecordingMedium mixed = new RecordingMedium("mixed", 24);
        mixed.writeLong(0, 1);
        mixed.writeLong(0, 2);
        mixed.writeLong(0, 3);
        mixed.writeLong(16, 1);
        assertEquals(4 * 2, mixed.crashPoint().imageCount());
    }

    @Test
    void theCountSaturatesInsteadOfOverflowing() {
        assertEquals(1L << 62, pending(62, 1).crashPoint().imageCount());
        assertEquals(Long.MAX_VALUE, pending(63, 1).crashPoint().imageCount());
        assertEquals(Long.MAX_VALUE, pending(64, 1).crashPoint().imageCount());
        assertEquals(Long.MAX_VALUE, pending(70, 1).crashPoint().imageCount());
        assertEquals(Long.MAX_VALUE, pending(40, 2).crashPoint().imageCount()); // 3^40 > 2^63
    }

    @Test
    void enumeratesEveryImageOnceLowestWordFastestStartingWithNoneApplied() {
        RecordingMedium medium = pending(2, 2);
        assertEquals(List.of(
                "0,0", "1,0", "2,0",
                "0,1", "1,1", "2,1",
                "0,2", "1,2", "2,2"), all(medium.crashPoint(), 9, 1, 0));
    }

    @Test
    void samplesWhenThereAreMoreImagesThanTheBound() {
        RecordingMedium medium = pending(3, 2); // 27 images
        List<String> sample = all(medium.crashPoint(), 26, 10, 42);
        assertEquals(10, sample.size());
        assertEquals("0,0,0", sample.get(0));
        assertEquals("2,2,2", sample.get(1));
        assertEquals(sample, all(medium.crashPoint(), 26, 10, 42), "the same seed must give the same sample");
        assertNotEquals(sample, all(medium.crashPoint(), 26, 10, 43), "another seed should give another sample");
        assertTrue(new HashSet<>(sample).size() > 3, "a sample should vary: " + sample);
        for (String image : sample) {
            assertTrue(image.matches("[012],[012],[012]"), image);
        }
    }

    @Test
    void theBoundItselfIsStillEnumerated() {
        assertEquals(27, all(pending(3, 2).crashPoint(), 27, 5, 1).size());
        assertEquals(5, all(pending(3, 2).crashPoint(), 26, 5, 1).size());
    }

    @Test
    void smallSamplesKeepTheExtremesFirst() {
        assertEquals(List.of("0,0,0"), all(pending(3, 2).crashPoint(), 1, 1, 7));
        assertEquals(List.of("0,0,0", "2,2,2"), all(pending(3, 2).crashPoint(), 1, 2, 7));
    }

    @Test
    void samplingCoversMoreThanTheExtremesOnWideWorkloads() {
        RecordingMedium medium = pending(100, 1);
        List<String> sample = all(medium.crashPoint(), 1000, 20, 5);
        assertEquals(20, sample.size());
        String none = String.join(",", java.util.Collections.nCopies(100, "0"));
        String full = String.join(",", java.util.Collections.nCopies(100, "1"));
        assertEquals(none, sample.get(0));
        assertEquals(full, sample.get(1));
        for (String image : sample.subList(2, 20)) {
            assertTrue(image.contains("0") && image.contains("1"), "a random image should mix words: " + image);
        }
    }

    @Test
    void refusesBoundsAndSamplesBelowOne() {
        CrashPoint point = pending(1, 1).crashPoint();
        assertThrows(IllegalArgumentException.class, () -> point.forEachImage(0, 1, 0, image -> { }));
        assertThrows(IllegalArgumentException.class, () -> point.forEachImage(1, 0, 0, image -> { }));
        assertThrows(NullPointerException.class, () -> point.forEachImage(1, 1, 0, null));
    }

    @Test
    void theExtremesAreThePersistedImageAndTheProgramsView() {
        RecordingMedium medium = new RecordingMedium("rec", 16);
        medium.writeLong(0, 1);
        medium.persist(0, 8);
        medium.writeLong(0, 2);
        medium.write(8, new byte[] {3});
        CrashPoint point = medium.crashPoint();
        try (Medium none = point.noneApplied(); Medium all = point.allApplied()) {
            assertEquals("1,0", RecordingMediumTest.words(none));
            assertEquals("2,3", RecordingMediumTest.words(all));
            assertEquals(Medium.Persistence.VOLATILE, none.persistence());
            assertEquals("rec crash point -1 before now, none applied [@0=old @8=old]", none.name());
            assertEquals("rec crash point -1 before now, all applied [@0=current @8=current]", all.name());
        }
    }

    @Test
    void imagesAreIndependentCopiesClosedAfterTheChecker() {
        RecordingMedium medium = pending(1, 1);
        List<Medium> seen = new ArrayList<>();
        medium.crashPoint().forEachImage(10, 1, 0, image -> {
            assertEquals(0, image.readLong(8 - 8) & ~1L, "an earlier checker's write leaked into this image");
            image.writeLong(0, 0xdead); // recovery may write
            seen.add(image);
        });
        assertEquals(2, seen.size());
        for (Medium image : seen) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> image.readLong(0));
            assertEquals(Errno.ENXIO, e.errno());
        }
        assertEquals(1, medium.readLong(0), "a checker's write reached the recording medium");
    }

    @Test
    void imagesAreNamedAfterThePointAndTheChoices() {
        RecordingMedium medium = new RecordingMedium("btt.img", 16);
        medium.mark("log");
        medium.writeLong(0, 1);
        medium.writeLong(0, 2);
        medium.writeLong(8, 1);
        medium.persist(0, 16);
        List<String> names = new ArrayList<>();
        medium.crashPoints(point -> {
            if (point.index() == 0) {
                point.forEachImage(100, 1, 0, image -> names.add(image.name()));
            }
        });
        assertEquals("btt.img crash point 0 before persist(0, 16) after marker 'log', image 1 of 6 [@0=old @8=old]",
                names.get(0));
        assertEquals("btt.img crash point 0 before persist(0, 16) after marker 'log', image 6 of 6 [@0=2/2 @8=1/1]",
                names.get(5));
    }

    @Test
    void longChoiceListsAreAbbreviatedInNames() {
        List<String> names = new ArrayList<>();
        pending(10, 1).crashPoint().forEachImage(1, 1, 0, image -> names.add(image.name()));
        assertEquals("rec crash point -1 before now, sample 1 of 1 (none applied)"
                + " [@0=old @8=old @16=old @24=old @32=old @40=old @48=old @56=old +2 more]", names.getFirst());
    }

    @Test
    void eightChoicesAreListedInFull() {
        List<String> names = new ArrayList<>();
        pending(8, 1).crashPoint().forEachImage(1, 1, 0, image -> names.add(image.name()));
        assertTrue(names.getFirst().endsWith("@48=old @56=old]"), names.getFirst());
    }

    @Test
    void sampledImagesAreNamedBySampleAndSeed() {
        List<String> names = new ArrayList<>();
        pending(2, 1).crashPoint().forEachImage(1, 3, 9, image -> names.add(image.name()));
        assertTrue(names.get(0).contains("sample 1 of 3 (none applied) [@0=old @8=old]"), names.get(0));
        assertTrue(names.get(1).contains("sample 2 of 3 (all applied) [@0=current @8=current]"), names.get(1));
        assertTrue(names.get(2).contains("sample 3 of 3 (seed 9) [@0="), names.get(2));
    }

    @Test
    void aFailingCheckerIsReportedWithTheImage() {
        RecordingMedium medium = pending(1, 1);
        AssertionError assertion = new AssertionError("sector 5 is torn");
        AssertionError reported = assertThrows(AssertionError.class, () -> medium.crashPoint().forEachImage(10, 1, 0, image -> {
            if (image.readLong(0) == 1) {
                throw assertion;
            }
        }));
        assertEquals("rec crash point -1 before now, image 2 of 2 [@0=1/1]: sector 5 is torn", reported.getMessage());
        assertSame(assertion, reported.getCause());

        NvdimmException recoveryFailure = new NvdimmException(Errno.EIO, "btt0: bad info block");
        AssertionError wrapped = assertThrows(AssertionError.class,
                () -> medium.crashPoint().forEachImage(10, 1, 0, image -> {
                    throw recoveryFailure;
                }));
        assertEquals("rec crash point -1 before now, image 1 of 2 [@0=old]: btt0: bad info block (EIO)", wrapped.getMessage());
        assertSame(recoveryFailure, wrapped.getCause());
    }

    @Test
    void aFailingCheckerStillClosesItsImage() {
        List<Medium> seen = new ArrayList<>();
        assertThrows(AssertionError.class, () -> pending(1, 1).crashPoint().forEachImage(10, 1, 0, image -> {
            seen.add(image);
            throw new IllegalStateException("recovery crashed");
        }));
        assertEquals(1, seen.size());
        assertThrows(NvdimmException.class, () -> seen.getFirst().readLong(0));
    }

    @Test
    void aPointWithNothingPendingHasOnlyThePersistedImage() {
        RecordingMedium medium = new RecordingMedium("rec", 8);
        medium.writeLong(0, 4);
        medium.sync();
        CrashPoint point = medium.crashPoint();
        assertEquals(0, point.pendingWords());
        assertEquals(1, point.imageCount());
        assertEquals(List.of("4"), all(point, 1, 1, 0));
        assertFalse(point.toString().contains("marker"));
    }
}
