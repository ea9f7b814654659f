package nvdimm.bus;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Byte-addressable memory with explicit persistence: what a region's DIMMs, a namespace and a
 * BTT ultimately read and write. Multi-byte values are little-endian, as on x86 pmem.
 *
 * <h2>Addresses and refusals</h2>
 * Offsets run from 0 to {@link #size()}. A negative offset or length, or a misaligned atomic
 * access, fails with {@link Errno#EINVAL}; a range that reaches past {@link #size()} fails with
 * {@link Errno#ENXIO}, the error Linux gives for an access beyond a device. A refused call has
 * not touched the medium. Every failure is an {@link NvdimmException} whose message starts with
 * {@link #name()}. A null array or segment is a programming error and throws
 * {@link NullPointerException}.
 *
 * <h2>Memory model</h2>
 * All methods may be called from any thread at any time.
 * <ul>
 * <li>The bulk {@code read} and {@code write} methods are plain accesses: they are not atomic and
 * are not ordered against other threads. Writing bytes that another thread reads or writes at
 * the same time leaves or returns some mix of old and new bytes (never a JVM crash). Publish bulk
 * data with a lock, or with an atomic store the reader observes with an atomic load.</li>
 * <li>{@link #writeInt(long, int)} and {@link #writeLong(long, long)} are single-copy atomic
 * (no thread ever observes half of the value) and have release semantics;
 * {@link #readInt(long)} and {@link #readLong(long)} are single-copy atomic and have acquire
 * semantics. Everything a thread did before an atomic store, bulk writes to this medium
 * included, happens-before everything another thread does after an atomic load that returns
 * the stored value.</li>
 * </ul>
 *
 * <h2>Persistence model</h2>
 * A store reaches the <em>persistence domain</em> (what survives the failure named by
 * {@link #persistence()}) at some moment between the store and the next barrier covering it, in no
 * particular order relative to other stores. A power failure can leave each aligned 8-byte word
 * with any value it had since its last barrier; only aligned 8-byte words are failure-atomic,
 * so anything larger may be torn at 8-byte granularity. Aligned 4- and 8-byte atomic stores
 * always lie within one such word and are never torn. A bulk write may tear even within a word:
 * it copies in whatever units its alignment allows (a copy to an offset that is not a multiple of
 * 8 moves 8-byte units that straddle the words), so a word it changes may be left with some bytes
 * new and the rest old. Metadata that must not tear is written with the atomic stores.
 * <ul>
 * <li>{@link #persist(long, long)} is a persistence barrier for a range: the stores to that range
 * issued before the call (by this thread, or by others and made visible to it) are in the
 * persistence domain when it returns, before any store issued after it. It is not a visibility
 * barrier between threads.</li>
 * <li>{@link #drain()} drains the persistence domain, as Linux's {@code nvdimm_flush} drains the
 * platform's write-pending queues: the stores persisted before the call reach stable storage that
 * survives losing the host. It writes no CPU cache back, so it makes no store durable that its
 * writer did not persist (a medium may happen to keep more, as a page cache does). This is what a
 * region flush does; writers persist their own stores, as pmem's {@code memcpy_flushcache} does.</li>
 * <li>{@link #sync()} persists the whole medium and drains it: every earlier store is on stable
 * storage, for the owner of a whole medium (closing a DIMM, a host's {@code fsync}). On DAX it
 * writes every cache line of the medium back.</li>
 * </ul>
 *
 * <h2>Closing</h2>
 * {@link #close()} releases the medium at once (a mapped file is unmapped) and may be called any
 * number of times, from any thread. Afterwards every method except {@link #name()}, {@link #size()},
 * {@link #persistence()} and {@code close()} fails with {@link Errno#ENXIO}. An access racing with
 * it either fails with ENXIO or completes before {@code close()} returns: once it has returned,
 * nothing more reaches the memory through this medium. Closing does not flush: data is kept as far as {@link #persistence()}
 * promises for what was persisted.
 *
 * <h2>Memory faults</h2>
 * Touching a page whose backing is gone (a mapped file truncated by someone else, a poisoned
 * pmem page) never crashes the JVM: the access fails with {@link Errno#EIO}. The JDK sometimes
 * delivers such a fault asynchronously, just after the access returned; it then arrives as the
 * JDK's {@link InternalError} at the caller's next method return or call.
 */
@ProviderType
public interface Medium extends AutoCloseable {

    /** What the stores covered by {@link #persist(long, long)} survive. */
    enum Persistence {
        /** Nothing: the medium is memory and dies with the process. {@code sync} does nothing. */
        VOLATILE,
        /**
         * A crash of the process: persisted stores are in the operating system's page cache.
         * Only {@link #sync()} makes them survive a crash of the host.
         */
        PROCESS_CRASH,
        /** A power failure: persisted stores are in the platform's persistence domain (DAX pmem). */
        POWER_FAILURE
    }

    /** The name errors use for this medium, for example the file's path. */
    String name();

    /** The size in bytes; stays the same for the medium's life. */
    long size();

    /** What persisted stores survive. */
    Persistence persistence();

    /**
     * Copies {@code len} bytes starting at {@code offset} into {@code dst[off .. off+len)}.
     *
     * @throws NvdimmException EINVAL for a negative offset or an array range outside {@code dst},
     *     ENXIO for a range past the end or a closed medium, EIO when the backing store faults
     */
    void read(long offset, byte[] dst, int off, int len);

    /**
     * Copies {@code src[off .. off+len)} to the medium starting at {@code offset}.
     *
     * @throws NvdimmException EINVAL for a negative offset or an array range outside {@code src},
     *     ENXIO for a range past the end or a closed medium, EIO when the backing store faults
     */
    void write(long offset, byte[] src, int off, int len);

    /** Fills all of {@code dst} from {@code offset}; see {@link #read(long, byte[], int, int)}. */
    default void read(long offset, byte[] dst) {
        read(offset, dst, 0, dst.length);
    }

    /** Writes all of {@code src} at {@code offset}; see {@link #write(long, byte[], int, int)}. */
    default void write(long offset, byte[] src) {
        write(offset, src, 0, src.length);
    }

    /**
     * Fills all of {@code dst} (its {@code byteSize()} bytes) from {@code offset}, without an
     * intermediate copy.
     *
     * @throws NvdimmException EINVAL for a negative offset or a read-only {@code dst}, ENXIO for a
     *     range past the end or a closed medium, EIO when the backing store faults
     */
    void read(long offset, MemorySegment dst);

    /**
     * Writes all of {@code src} (its {@code byteSize()} bytes) at {@code offset}, without an
     * intermediate copy.
     *
     * @throws NvdimmException EINVAL for a negative offset, ENXIO for a range past the end or a
     *     closed medium, EIO when the backing store faults
     */
    void write(long offset, MemorySegment src);

    /**
     * Copies {@code len} bytes starting at {@code offset} into {@code dst[dstOffset .. dstOffset+len)},
     * without an intermediate copy or slice: the form a medium made of other media forwards to them
     * without allocating. The default slices {@code dst}; implementations override it.
     *
     * @throws NvdimmException EINVAL for a negative offset or length, a range outside {@code dst} or a
     *     read-only {@code dst}, ENXIO for a range past the end or a closed medium, EIO when the
     *     backing store faults
     */
    default void read(long offset, MemorySegment dst, long dstOffset, long len) {
        checkSegmentRange(name(), dst, dstOffset, len);
        read(offset, dst.asSlice(dstOffset, len));
    }

    /**
     * Writes {@code src[srcOffset .. srcOffset+len)} at {@code offset}; see
     * {@link #read(long, MemorySegment, long, long)}. The default slices {@code src}.
     *
     * @throws NvdimmException EINVAL for a negative offset or length or a range outside {@code src},
     *     ENXIO for a range past the end or a closed medium, EIO when the backing store faults
     */
    default void write(long offset, MemorySegment src, long srcOffset, long len) {
        checkSegmentRange(name(), src, srcOffset, len);
        write(offset, src.asSlice(srcOffset, len));
    }

    /** Refuses, with EINVAL naming the medium, a range {@code [from, from+len)} outside {@code segment}. */
    private static void checkSegmentRange(String medium, MemorySegment segment, long from, long len) {
        if (from < 0 || len < 0 || from > segment.byteSize() - len) {
            throw new NvdimmException(Errno.EINVAL, medium + ": segment range " + from + " + " + len
                    + " is outside a segment of " + segment.byteSize() + " bytes");
        }
    }

    /**
     * Loads the little-endian int at a 4-byte aligned offset; single-copy atomic, acquire.
     *
     * @throws NvdimmException EINVAL for a negative or misaligned offset, ENXIO past the end or
     *     when closed, EIO when the backing store faults
     */
    int readInt(long offset);

    /**
     * Loads the little-endian long at an 8-byte aligned offset; single-copy atomic, acquire.
     *
     * @throws NvdimmException EINVAL for a negative or misaligned offset, ENXIO past the end or
     *     when closed, EIO when the backing store faults
     */
    long readLong(long offset);

    /**
     * Stores a little-endian int at a 4-byte aligned offset; single-copy atomic, release.
     *
     * @throws NvdimmException EINVAL for a negative or misaligned offset, ENXIO past the end or
     *     when closed, EIO when the backing store faults
     */
    void writeInt(long offset, int value);

    /**
     * Stores a little-endian long at an 8-byte aligned offset; single-copy atomic, release.
     *
     * @throws NvdimmException EINVAL for a negative or misaligned offset, ENXIO past the end or
     *     when closed, EIO when the backing store faults
     */
    void writeLong(long offset, long value);

    /**
     * Persistence barrier for {@code [offset, offset+length)}: the stores to it issued before
     * the call are in the persistence domain when this returns. A length of 0 persists nothing.
     *
     * @throws NvdimmException EINVAL for a negative offset or length, ENXIO for a range past the
     *     end or a closed medium, EIO when writing back fails
     */
    void persist(long offset, long length);

    /**
     * Drains the persistence domain: every store persisted before the call is on stable storage when
     * this returns. Persists nothing itself.
     *
     * @throws NvdimmException ENXIO when closed, EIO (or the file system's errno, such as
     *     ENOSPC) when writing back fails, EINTR when the calling thread was interrupted
     */
    void drain();

    /**
     * Persists the whole medium and drains it: every store issued before the call is on stable
     * storage when this returns.
     *
     * @throws NvdimmException ENXIO when closed, EIO (or the file system's errno, such as
     *     ENOSPC) when writing back fails, EINTR when the calling thread was interrupted
     */
    void sync();

    /**
     * A medium named {@code name} over {@code [offset, offset + length)} of this one (its offset 0 is
     * {@code offset} here) that shares this medium's memory but closes on its own, for a view that
     * must stop its accesses without closing what it views (a region over its DIMMs): closing the
     * window refuses its accesses and waits for those racing with it as {@link #close()} says, and
     * leaves this medium open; closing this medium closes its windows first. A window's accesses
     * cost what this medium's cost. It has this medium's persistence; its {@code persist},
     * {@code drain} and {@code sync} are this medium's (which write no memory), for its range.
     *
     * <p>Empty when this medium cannot lend its memory so (the default: a medium that records or
     * forwards its accesses must see them); a view then counts its accesses itself.
     *
     * @throws NvdimmException EINVAL for a negative offset or length, ENXIO for a range past the end
     *     or a closed medium
     */
    default Optional<Medium> window(String name, long offset, long length) {
        return Optional.empty();
    }

    /** Releases the medium; idempotent; does not flush. Later accesses fail with ENXIO. */
    @Override
    void close();
}
