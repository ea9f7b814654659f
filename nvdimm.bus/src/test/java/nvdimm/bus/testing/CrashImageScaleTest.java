package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * 10^5 crash images of a 64 MiB medium in bounded memory: an image must cost what it changes, not
 * the medium's size. Memory is measured, not time: the heap allocated per image on this thread, and
 * the resident memory of the process outside the JVM's own areas (where a native copy of the medium
 * would go) while the first image is checked.
 */
class CrashImageScaleTest {

    private static final long SIZE = 64L << 20;
    /** 17 pending words of one value each: 2^17 = 131,072 images. */
    private static final int WORDS = 17;
    private static final long MAX_HEAP_PER_IMAGE = 16 * 1024;
    /** Resident growth allowed while the first image is checked: half of a copy of the medium. */
    private static final long MAX_NATIVE_GROWTH = 32L << 20;

    /**
     * The process's resident memory outside the memory the JVM has committed for its heap and its own
     * areas: where a native copy of the medium per image would show (native segments are not in the
     * JDK's buffer pools). Linux's {@code /proc/self/statm}, in bytes.
     */
    private static long nativeUsed() {
        long resident;
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            resident = Long.parseLong(fields[1]) * 4096;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return resident - memory.getHeapMemoryUsage().getCommitted() - memory.getNonHeapMemoryUsage().getCommitted();
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Metadata words spread over the medium, one per 3.7 MiB, none persisted. */
    private static RecordingMedium workload() {
        RecordingMedium medium = new RecordingMedium("pmem0", SIZE);
        for (int i = 0; i < WORDS; i++) {
            medium.writeLong((SIZE / WORDS * i) & ~7L, 0x100L + i);
        }
        return medium;
    }

    @Test
    void enumeratesOneHundredThousandImagesOfA64MiBMediumInBoundedMemory() {
        RecordingMedium medium = workload();
        CrashPoint point = medium.crashPoint();
        assertEquals(1L << WORDS, point.imageCount());
        long nativeBefore = nativeUsed();
        long[] images = {0};
        long[] sum = {0};
        long[] nativeGrowth = {0};
        long heapBefore = allocated();
        point.forEachImage(1L << WORDS, 1, 0, image -> {
            if (images[0]++ == 0) { // before garbage from the enumeration blurs the figure
                nativeGrowth[0] = nativeUsed() - nativeBefore;
                assertTrue(nativeGrowth[0] < MAX_NATIVE_GROWTH, "an image took " + nativeGrowth[0] + " bytes");
            }
            sum[0] += image.readLong((SIZE / WORDS * (images[0] % WORDS)) & ~7L);
        });
        long heapPerImage = (allocated() - heapBefore) / images[0];
        assertTrue(images[0] >= 100_000, images[0] + " images");
        assertTrue(heapPerImage < MAX_HEAP_PER_IMAGE, heapPerImage + " bytes of heap per image");
        assertTrue(sum[0] > 0);
        medium.close();
    }

    @Test
    void aPolicyEnumeratesJointImagesOfTwoLargeMediaInBoundedMemory() {
        CrashRecorder recorder = new CrashRecorder("region0");
        RecordingMedium dimm0 = recorder.medium("dimm0", SIZE / 2);
        RecordingMedium dimm1 = recorder.medium("dimm1", SIZE / 2);
        for (int i = 0; i < 16; i++) {
            (i % 2 == 0 ? dimm0 : dimm1).writeLong(4096L * i, 0x200L + i); // metadata words
        }
        dimm1.write(1 << 20, new byte[4096], 0, 4096); // no change: zeros over zeros
        byte[] block = new byte[4096];
        java.util.Arrays.fill(block, (byte) 7);
        dimm1.write(2 << 20, block); // a data block: 512 pending words
        ImagePolicy policy = ImagePolicy.sampledByDefault().samples(2)
                .exhaustive("dimm0", 0, 1 << 20, "meta").exhaustive("dimm1", 0, 1 << 20, "meta");
        CrashPoint point = recorder.crashPoint();
        assertEquals((1L << 16) * 2, point.imageCount(policy));
        long nativeBefore = nativeUsed();
        long heapBefore = allocated();
        long[] images = {0};
        long[] nativeGrowth = {0};
        point.forEachImage(policy, 1, image -> {
            if (images[0]++ == 0) { // before garbage from the enumeration blurs the figure
                nativeGrowth[0] = nativeUsed() - nativeBefore;
                assertTrue(nativeGrowth[0] < MAX_NATIVE_GROWTH, "an image took " + nativeGrowth[0] + " bytes");
            }
            image.medium("dimm1").readLong(2 << 20);
        });
        long heapPerImage = (allocated() - heapBefore) / images[0];
        assertEquals(1L << 17, images[0]);
        assertTrue(heapPerImage < MAX_HEAP_PER_IMAGE, heapPerImage + " bytes of heap per image");
        dimm0.close();
        dimm1.close();
    }
}
