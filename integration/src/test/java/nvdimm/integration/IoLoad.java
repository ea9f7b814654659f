package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Writers and flushers on one block device until stopped, for the tests that take devices away under I/O. Each
 * writer owns {@value #SLOTS_PER_WRITER} slots of {@value #SLOT} bytes and writes self-describing versions
 * (slot, version) into them; a version counts as acknowledged once its write and a later flush returned. Any
 * failure other than an {@link NvdimmException} with ENXIO or EIO is unexpected.
 */
final class IoLoad {
    static final int WRITERS = 4;
    static final int FLUSHERS = 4;
    static final int SLOTS_PER_WRITER = 32;
    static final int SLOTS = WRITERS * SLOTS_PER_WRITER;
    static final int SLOT = 4096;

    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final ConcurrentHashMap<String, AtomicLong> errnos = new ConcurrentHashMap<>();
    final AtomicLong acked = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param ackedVersion per slot, the last acknowledged version (written by its one writer, read after join)
     * @param firstVersion where this load's versions start, above any earlier load's on the same slots
     */
    IoLoad(BlockDevice disk, long[] ackedVersion, long firstVersion) {
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                MemorySegment buf = MemorySegment.ofArray(new byte[SLOT]);
                long version = firstVersion;
                while (!stop.get()) {
                    int slot = writer * SLOTS_PER_WRITER + (int) (version % SLOTS_PER_WRITER);
                    version++;
                    fill(buf, slot, version);
                    if (call(() -> disk.write(lba(disk, slot), buf)) && call(disk::flush)) {
                        ackedVersion[slot] = version;
                        acked.incrementAndGet();
                    }
                }
            }, "writer-" + w));
        }
        for (int f = 0; f < FLUSHERS; f++) {
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    call(disk::flush);
                }
            }, "flusher-" + f));
        }
        threads.forEach(Thread::start);
    }

    private boolean call(Runnable r) {
        try {
            r.run();
            return true;
        } catch (NvdimmException e) {
            errnos.computeIfAbsent(e.errno().name(), k -> new AtomicLong()).incrementAndGet();
            if (e.errno() != Errno.ENXIO && e.errno() != Errno.EIO) {
                unexpected.add(e.toString());
            }
            Thread.onSpinWait();
            return false;
        } catch (RuntimeException | Error e) {
            unexpected.add(e.toString());
            return false;
        }
    }

    /** Stops the threads; each must return (a hang guard of a minute) having seen only ENXIO or EIO. */
    void stopAndJoin() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
            assertFalse(t.getName() + " never returned", t.isAlive());
        }
        assertTrue("only ENXIO or EIO: " + unexpected, unexpected.isEmpty());
    }

    /** A slot's first sector, whatever the disk's sector size. */
    static long lba(BlockDevice disk, int slot) {
        return (long) slot * (SLOT / disk.sectorSize());
    }

    static void fill(MemorySegment buf, int slot, long version) {
        for (long off = 0; off < SLOT; off += 16) {
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off, slot);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8, version);
        }
    }

    /** Every acknowledged slot holds one whole version, at least the acknowledged one. */
    static void assertAckedSlotsReadBack(BlockDevice disk, long[] ackedVersion) {
        MemorySegment buf = MemorySegment.ofArray(new byte[SLOT]);
        for (int slot = 0; slot < ackedVersion.length; slot++) {
            if (ackedVersion[slot] == 0) {
                continue;
            }
            disk.read(lba(disk, slot), buf);
            long version = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            for (long off = 0; off < SLOT; off += 16) {
                assertEquals("slot " + slot + " is torn", slot, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off));
                assertEquals("slot " + slot + " is torn", version, buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8));
            }
            assertTrue("slot " + slot + " lost its acknowledged version " + ackedVersion[slot] + ": " + version,
                    version >= ackedVersion[slot]);
        }
    }

    /** The active block device named {@code name}, if one is registered. */
    static Optional<BlockDevice> disk(BundleContext context, String name) {
        try {
            for (ServiceReference<BlockDevice> ref : context.getServiceReferences(BlockDevice.class, null)) {
                BlockDevice d = context.getService(ref);
                if (d != null && d.name().equals(name) && d.isActive()) {
                    return Optional.of(d);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }
}
