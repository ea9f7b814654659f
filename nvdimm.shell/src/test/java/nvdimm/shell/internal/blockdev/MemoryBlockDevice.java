package nvdimm.shell.internal.blockdev;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import nvdimm.region.Badblocks;

/**
 * A block device in memory for the shell's tests: its sectors in one segment, reads of a sector
 * marked bad fail with EIO, and the calls are counted (writes, and the segments passed, so a test
 * can see that a copy used one buffer).
 */
public final class MemoryBlockDevice implements BlockDevice {

    private final String name;
    private final int sectorSize;
    private final MemorySegment media;
    final Set<Long> bad = ConcurrentHashMap.newKeySet();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    final Set<Long> segmentsSeen = ConcurrentHashMap.newKeySet();
    volatile boolean active = true;

    public MemoryBlockDevice(String name, int sectorSize, long sectors) {
        this.name = name;
        this.sectorSize = sectorSize;
        this.media = Arena.ofAuto().allocate(sectorSize * sectors);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public long sectors() {
        return media.byteSize() / sectorSize;
    }

    MemorySegment media() {
        return media;
    }

    private void check(long sector, MemorySegment s) {
        if (s.byteSize() == 0 || s.byteSize() % sectorSize != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + s.byteSize() + " bytes are not whole sectors");
        }
        if (sector < 0 || sector + s.byteSize() / sectorSize > sectors()) {
            throw new NvdimmException(Errno.ENXIO, name + ": sector " + sector + " is past the end");
        }
        segmentsSeen.add(s.address());
    }

    @Override
    public void read(long sector, MemorySegment dst) {
        check(sector, dst);
        for (long s = sector; s < sector + dst.byteSize() / sectorSize; s++) {
            if (bad.contains(s)) {
                throw new NvdimmException(Errno.EIO, name + ": sector " + s + " is a bad block");
            }
        }
        MemorySegment.copy(media, sector * sectorSize, dst, 0, dst.byteSize());
    }

    @Override
    public void write(long sector, MemorySegment src) {
        check(sector, src);
        writes.incrementAndGet();
        MemorySegment.copy(src, 0, media, sector * sectorSize, src.byteSize());
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    @Override
    public List<Badblocks.Range> badblocks() {
        return bad.stream().sorted().map(s -> new Badblocks.Range(s * sectorSize / 512, sectorSize / 512)).toList();
    }

    @Override
    public boolean isActive() {
        return active;
    }
}
