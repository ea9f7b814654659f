package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;

/**
 * The medium contract on {@link DaxFileMedium}. This machine has no DAX file system, so a plain
 * shared mapping stands in for the synchronous one: {@code persist}'s ranged force is then an
 * {@code msync} of the range rather than a cache-line write-back, but every other line runs as on
 * DAX. {@link FileMappingTest} covers what {@code Media.mapDax} does where DAX is missing.
 */
class DaxFileMediumTest extends MediumContract {

    @TempDir
    Path dir;

    @Override
    protected Medium open(long size) throws IOException {
        Path file = dir.resolve("dax0.img");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Arena arena = Arena.ofShared();
        return new DaxFileMedium(file, arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), channel,
                Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    }

    @Test
    void survivesAPowerFailure() {
        assertEquals(Medium.Persistence.POWER_FAILURE, medium.persistence());
    }

    @Test
    void persistsArbitraryRanges() {
        medium.write(100, pattern(5000, 2));
        medium.persist(100, 5000); // not page aligned: the slice force must accept it
        medium.persist(SIZE - 1, 1);
        medium.persist(0, SIZE);
        byte[] back = new byte[5000];
        medium.read(100, back);
        assertEquals(java.util.Arrays.toString(pattern(5000, 2)), java.util.Arrays.toString(back));
    }
}
