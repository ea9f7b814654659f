package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;

/** Joint crash images of several media, per-range policies and readable image names. */
class CrashRecorderTest {

    private final CrashRecorder recorder = new CrashRecorder("region0");
    private final RecordingMedium dimm0 = recorder.medium("dimm0", 64);
    private final RecordingMedium dimm1 = recorder.medium("dimm1", 64);
    private final RecordingMedium labels = recorder.medium("labels", 16);

    /** Each image of a point as "dimm0 words | dimm1 words | labels words". */
    private static List<String> images(CrashPoint point, ImagePolicy policy) {
        List<String> images = new ArrayList<>();
        point.forEachImage(policy, 0, image -> images.add(RecordingMediumTest.words(image.medium("dimm0")) + " | "
                + RecordingMediumTest.words(image.medium("dimm1")) + " | " + RecordingMediumTest.words(image.medium("labels"))));
        return images;
    }

    @Test
    void aCrashPointHoldsWhatEveryMediumHasPending() {
        recorder.clearLog();
        dimm0.writeLong(0, 1);
        dimm1.writeLong(8, 2);
        dimm0.persist(0, 8); // a barrier on dimm0 only
        labels.writeLong(0, 3);
        labels.sync();
        List<String> seen = new ArrayList<>();
        recorder.crashPoints(point -> seen.add(point.barrier() + " " + point.pendingWords() + " "
                + new TreeSet<>(images(point, ImagePolicy.exhaustiveByDefault()))));
        String zeros = "0,0,0,0,0,0,0";
        assertEquals(List.of(
                "dimm0 persist(0, 8) 2 [0," + zeros + " | 0,0,0,0,0,0,0,0 | 0,0, 0," + zeros + " | 0,2,0,0,0,0,0,0 | 0,0, "
                        + "1," + zeros + " | 0,0,0,0,0,0,0,0 | 0,0, 1," + zeros + " | 0,2,0,0,0,0,0,0 | 0,0]",
                "labels sync() 2 [1," + zeros + " | 0,0,0,0,0,0,0,0 | 0,0, 1," + zeros + " | 0,0,0,0,0,0,0,0 | 3,0, 1," + zeros
                        + " | 0,2,0,0,0,0,0,0 | 0,0, 1," + zeros + " | 0,2,0,0,0,0,0,0 | 3,0]",
                "end of log 1 [1," + zeros + " | 0,0,0,0,0,0,0,0 | 3,0, 1," + zeros + " | 0,2,0,0,0,0,0,0 | 3,0]"),
                seen.stream().map(s -> s.replace(", ", ", ")).toList());
    }

    @Test
    void exhaustiveRangesAreEnumeratedAndSampledRangesSampled() {
        dimm0.writeLong(0, 1); // metadata
        dimm0.writeLong(8, 2); // metadata
        dimm1.write(0, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}); // data: 2 words
        ImagePolicy policy = ImagePolicy.sampledByDefault().samples(3).exhaustive("dimm0", 0, 16, "info");
        CrashPoint point = recorder.crashPoint();
        assertEquals(4 * 3, point.imageCount(policy));
        Set<String> metadata = new TreeSet<>();
        List<String> data = new ArrayList<>();
        point.forEachImage(policy, 5, image -> {
            metadata.add(image.medium("dimm0").readLong(0) + "," + image.medium("dimm0").readLong(8));
            data.add(Long.toHexString(image.medium("dimm1").readLong(0)) + "," + Long.toHexString(image.medium("dimm1").readLong(8)));
        });
        assertEquals(Set.of("0,0", "1,0", "0,2", "1,2"), metadata, "every metadata combination");
        for (int c = 0; c < 4; c++) {
            assertEquals("0,0", data.get(3 * c), "sample 1: no data word");
            assertEquals("101010101010101,202020202020202", data.get(3 * c + 1), "sample 2: every data word");
        }
        List<String> again = new ArrayList<>();
        point.forEachImage(policy, 5, image -> again.add(Long.toHexString(image.medium("dimm1").readLong(0))
                + "," + Long.toHexString(image.medium("dimm1").readLong(8))));
        assertEquals(data, again, "the same seed gives the same images");
    }

    @Test
    void aFailingImageIsNamedByBarrierRangeAndChoice() {
        recorder.clearLog();
        recorder.mark("update map");
        dimm0.writeLong(8, 7);
        dimm1.writeLong(16, 9);
        dimm1.persist(16, 8);
        ImagePolicy policy = ImagePolicy.exhaustiveByDefault().exhaustive("dimm0", 0, 64, "map");
        AssertionError failure = assertThrows(AssertionError.class, () -> recorder.crashPoints(point -> point.forEachImage(
                policy, 0, image -> assertEquals(0, image.medium("dimm0").readLong(8), "map entry 1 torn"))));
        assertEquals("region0 crash point 0 before dimm1 persist(16, 8) after marker 'update map', image 2 of 4"
                + " [dimm0 'map' @8=1/1]: map entry 1 torn ==> expected: <0> but was: <7>", failure.getMessage());
        NvdimmException errno = new NvdimmException(Errno.EIO, "btt0: bad info block");
        AssertionError wrapped = assertThrows(AssertionError.class, () -> recorder.crashPoint().forEachImage(policy, 0, image -> {
            throw errno;
        }));
        assertSame(errno, wrapped.getCause());
        assertTrue(wrapped.getMessage().endsWith("[no exhaustive word applied]: btt0: bad info block (EIO)"), wrapped.getMessage());
    }

    @Test
    void imagesOfSeveralMediaAreNamedAfterTheirMedium() {
        dimm1.writeLong(0, 1);
        try (CrashImage image = recorder.crashPoint().currentImage()) {
            assertEquals(List.of("dimm0", "dimm1", "labels"), recorder.crashPoint().media());
            assertEquals(1, image.medium("dimm1").readLong(0));
            assertTrue(image.medium("dimm1").name().startsWith("dimm1 in region0 crash point -1 before now"),
                    image.medium("dimm1").name());
            assertThrows(IllegalArgumentException.class, () -> image.medium("dimm9"));
        }
        try (CrashImage image = recorder.crashPoint().persistedImage()) {
            assertEquals(0, image.medium("dimm1").readLong(0));
        }
    }

    @Test
    void theOneMediumFormsRefuseAPointOfSeveralMedia() {
        CrashPoint point = recorder.crashPoint();
        assertThrows(IllegalStateException.class, point::noneApplied);
        assertThrows(IllegalStateException.class, () -> point.forEachImage(1, 1, 0, image -> { }));
    }

    @Test
    void tooManyExhaustiveCombinationsFailWithTheCount() {
        for (int i = 0; i < 8; i++) {
            dimm0.writeLong(8L * i, i + 1);
        }
        ImagePolicy policy = ImagePolicy.exhaustiveByDefault().maxCombinations(100);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> recorder.crashPoint().forEachImage(policy, 0, image -> { }));
        assertTrue(e.getMessage().contains("8 exhaustive words have 256 combinations, more than the policy's 100"), e.getMessage());
    }

    @Test
    void aCheckersWritesStayInItsImage() {
        dimm0.writeLong(0, 1);
        recorder.crashPoint().forEachImage(ImagePolicy.exhaustiveByDefault(), 0, image -> {
            Medium d = image.medium("dimm0");
            d.write(4, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
            assertEquals(0x0909090900000000L | (d.readLong(0) & 0xFFFF_FFFFL), d.readLong(0));
        });
        assertEquals(1, dimm0.readLong(0));
        assertEquals(0, dimm0.readLong(8));
        try (CrashImage image = recorder.crashPoint().currentImage()) {
            assertEquals(1, image.medium("dimm0").readLong(0), "an earlier image's write did not leak");
        }
    }

    @Test
    void aNameIsRecordedOnce() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> recorder.medium("dimm0", 8));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(List.of(dimm0, dimm1, labels), recorder.media());
    }
}
