package nvdimm.emul.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Locks a DIMM's media file the way QEMU's file-posix driver locks its images, so that QEMU, a
 * {@code qemu-img} and another nvdimm runtime refuse a file in use here, and this runtime refuses a
 * file in use there. QEMU takes open-file-description (OFD) locks, {@code fcntl(F_OFD_SETLK)},
 * which classic POSIX locks ({@code FileChannel.lock}) do not interoperate with; so this class
 * opens the file itself and calls {@code fcntl} through the foreign function interface.
 *
 * <p>QEMU's scheme: for each permission bit {@code i} a user holds it read-locks byte
 * {@code 100 + i}; for each permission it does not let others have it read-locks byte
 * {@code 200 + i}. A new user first takes its own bytes, then tests with a write lock that nobody
 * else holds byte {@code 200 + i} for a permission it wants nor byte {@code 100 + i} for one it
 * does not share. A DIMM wants consistent read (bit 0) and write (bit 1) and shares consistent read
 * and unchanged writes, not write nor resize (bit 3), as QEMU's writable disks do.
 *
 * <p>Supported on Linux on x86_64 and aarch64, where {@code struct flock} is {@code short l_type,
 * short l_whence, off_t l_start, off_t l_len, pid_t l_pid} at offsets 0, 2, 8, 16, 24 (32 bytes),
 * {@code F_OFD_GETLK} is 36 and {@code F_OFD_SETLK} 37. The lock lasts until {@link #close}, which
 * closes the descriptor; the kernel also drops it when the process dies.
 */
final class ImageLock implements AutoCloseable {

    static final int PERM_BASE = 100;
    static final int SHARED_BASE = 200;
    static final int CONSISTENT_READ = 0;
    static final int WRITE = 1;
    static final int RESIZE = 3;
    /** Permissions a DIMM holds, and those it does not share: QEMU's perm and ~shared_perm bits. */
    static final int[] HELD = {CONSISTENT_READ, WRITE};
    static final int[] UNSHARED = {WRITE, RESIZE};

    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final short SEEK_SET = 0;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private static final StructLayout FLOCK = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("l_type"), ValueLayout.JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4), ValueLayout.JAVA_LONG.withName("l_start"),
            ValueLayout.JAVA_LONG.withName("l_len"), ValueLayout.JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));
    private static final VarHandle L_TYPE = field("l_type");
    private static final VarHandle L_WHENCE = field("l_whence");
    private static final VarHandle L_START = field("l_start");
    private static final VarHandle L_LEN = field("l_len");

    private static final Native NATIVE = Native.load();

    private final Path file;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ImageLock(Path file, int fd) {
        this.file = file;
        this.fd = fd;
    }

    private static VarHandle field(String name) {
        return FLOCK.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /**
     * Locks {@code file} for this runtime.
     *
     * @throws NvdimmException EBUSY when another process (QEMU, qemu-img, another runtime) uses the
     *     file, or the errno of the failing call; EOPNOTSUPP on a platform without OFD locks here
     */
    static ImageLock acquire(Path file) {
        Native n = NATIVE.require(file);
        int fd = n.open(file);
        ImageLock lock = new ImageLock(file, fd);
        try {
            for (int bit : HELD) {
                n.setReadLock(file, fd, PERM_BASE + bit);
            }
            for (int bit : UNSHARED) {
                n.setReadLock(file, fd, SHARED_BASE + bit);
            }
            for (int bit : HELD) {
                if (n.lockedByOthers(file, fd, SHARED_BASE + bit)) {
                    throw busy(file, "another process does not share its " + name(bit) + " permission");
                }
            }
            for (int bit : UNSHARED) {
                if (n.lockedByOthers(file, fd, PERM_BASE + bit)) {
                    throw busy(file, "another process holds its " + name(bit) + " permission");
                }
            }
            return lock;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static NvdimmException busy(Path file, String why) {
        return new NvdimmException(Errno.EBUSY, file + ": in use: " + why
                + " (a QEMU, a qemu-img or another nvdimm runtime has it open)");
    }

    private static String name(int bit) {
        return switch (bit) {
            case CONSISTENT_READ -> "\"consistent read\"";
            case WRITE -> "\"write\"";
            case RESIZE -> "\"resize\"";
            default -> "permission " + bit;
        };
    }

    /** Releases the lock (closes the descriptor); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            NATIVE.close(fd);
        }
    }

    @Override
    public String toString() {
        return "ImageLock[" + file + "]";
    }

    /** The three libc calls, bound once; {@code null} handles on a platform this class does not know. */
    private record Native(MethodHandle open, MethodHandle fcntl, MethodHandle close, StructLayout errnoState,
            VarHandle errno, String unsupported) {

        static Native load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (!os.equals("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
                return new Native(null, null, null, null, null, "OFD image locks are implemented for Linux on x86_64"
                        + " and aarch64, not " + os + " on " + arch);
            }
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            StructLayout state = Linker.Option.captureStateLayout();
            MethodHandle open = linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
            MethodHandle fcntl = linker.downcallHandle(linker.defaultLookup().findOrThrow("fcntl"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS), errno, Linker.Option.firstVariadicArg(2));
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return new Native(open, fcntl, close, state,
                    state.varHandle(MemoryLayout.PathElement.groupElement("errno")), null);
        }

        Native require(Path file) {
            if (unsupported != null) {
                throw new NvdimmException(Errno.EOPNOTSUPP, file + ": cannot lock the file: " + unsupported);
            }
            return this;
        }

        int open(Path file) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(errnoState);
                int fd = (int) open.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                    throw failure(file, "open", (int) errno.get(state, 0L));
                }
                return fd;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("open", t);
            }
        }

        void setReadLock(Path file, int fd, long offset) {
            fcntl(file, fd, F_OFD_SETLK, F_RDLCK, offset);
        }

        /** Whether another open file description holds a lock on the byte at {@code offset}. */
        boolean lockedByOthers(Path file, int fd, long offset) {
            return fcntl(file, fd, F_OFD_GETLK, F_WRLCK, offset) != F_UNLCK;
        }

        /** Runs {@code cmd} on one byte; returns the l_type the kernel leaves (for F_OFD_GETLK). */
        private short fcntl(Path file, int fd, int cmd, short type, long offset) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment flock = arena.allocate(FLOCK);
                L_TYPE.set(flock, 0L, type);
                L_WHENCE.set(flock, 0L, SEEK_SET);
                L_START.set(flock, 0L, offset);
                L_LEN.set(flock, 0L, 1L);
                MemorySegment state = arena.allocate(errnoState);
                int rc = (int) fcntl.invokeExact(state, fd, cmd, flock);
                if (rc < 0) {
                    int code = (int) errno.get(state, 0L);
                    if (cmd == F_OFD_SETLK && (code == 11 || code == 13)) { // EAGAIN, EACCES: a conflicting lock
                        throw busy(file, "another process holds a conflicting lock on byte " + offset);
                    }
                    throw failure(file, "fcntl", code);
                }
                return (short) L_TYPE.get(flock, 0L);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("fcntl", t);
            }
        }

        /** Closes the descriptor; its OFD locks go with it. Linux frees the descriptor even when close fails. */
        void close(int fd) {
            try {
                int rc = (int) close.invokeExact(fd);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("close", t);
            }
        }

        private static NvdimmException failure(Path file, String call, int code) {
            Errno e = Errno.ofCode(code).orElse(Errno.EIO);
            return new NvdimmException(e, file + ": cannot lock the file: " + call + " failed: " + e.strerror());
        }
    }
}
