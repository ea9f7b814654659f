package nvdimm.app.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lock that gives one runtime a data directory: a second runtime on the same directory would
 * rebuild {@code framework/} under the first and map the same DIMM files. The lock is an
 * exclusive open-file-description lock ({@code fcntl(F_OFD_SETLK)}) on {@code <data>/lock}, which
 * holds the owner's process id. Unlike a classic POSIX lock ({@code FileChannel.lock}), an OFD
 * lock is not dropped when the same process opens and closes the file elsewhere (a {@code cat lock}
 * in the shell), and it conflicts between two launchers in one JVM too. The kernel drops it when
 * the process dies, so a crashed runtime leaves no stale lock. On platforms where this class does
 * not know {@code struct flock} (anything but Linux on x86_64 and aarch64) it falls back to a
 * {@code FileChannel} lock.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "lock";

    private static final int F_OFD_SETLK = 37;
    private static final short F_WRLCK = 1;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0x40;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final StructLayout FLOCK = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("l_type"), ValueLayout.JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4), ValueLayout.JAVA_LONG.withName("l_start"),
            ValueLayout.JAVA_LONG.withName("l_len"), ValueLayout.JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));

    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    private DataDirLock(Runnable release) {
        this.release = release;
    }

    /** The data directory is in use by another runtime; the message names its process. */
    static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code root} (which must exist) for this process and writes its id into the lock file.
     *
     * @throws InUseException when another runtime holds it, naming that runtime's process
     */
    static DataDirLock acquire(Path root) throws IOException {
        Path file = root.resolve(FILE);
        DataDirLock lock = ofdSupported() ? ofd(root, file) : channel(root, file);
        try {
            Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    private static boolean ofdSupported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.equals("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    private static DataDirLock ofd(Path root, Path file) throws IOException {
        Linker linker = Linker.nativeLinker();
        Linker.Option errnoOption = Linker.Option.captureCallState("errno");
        StructLayout state = Linker.Option.captureStateLayout();
        VarHandle errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT), errnoOption, Linker.Option.firstVariadicArg(2));
        MethodHandle fcntl = linker.downcallHandle(linker.defaultLookup().findOrThrow("fcntl"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS), errnoOption, Linker.Option.firstVariadicArg(2));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(state);
            int fd = (int) open.invokeExact(st, arena.allocateFrom(file.toString()), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0) {
                throw new IOException("cannot open " + file + ": errno " + (int) errno.get(st, 0L));
            }
            MemorySegment flock = arena.allocate(FLOCK); // zeroed: whole file from SEEK_SET 0
            flock.set(ValueLayout.JAVA_SHORT, 0, F_WRLCK);
            int rc = (int) fcntl.invokeExact(st, fd, F_OFD_SETLK, flock);
            if (rc < 0) {
                int code = (int) errno.get(st, 0L);
                int ignored = (int) close.invokeExact(fd);
                if (code == EAGAIN || code == EACCES) { // another description holds a conflicting lock
                    throw inUse(root, file);
                }
                throw new IOException("cannot lock " + file + ": errno " + code);
            }
            return new DataDirLock(() -> {
                try {
                    int ignored = (int) close.invokeExact(fd); // closing the description drops its lock
                } catch (Throwable t) {
                    throw new IllegalStateException("closing " + file, t);
                }
            });
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot lock " + file, t);
        }
    }

    private static DataDirLock channel(Path root, Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw inUse(root, file);
        }
        return new DataDirLock(() -> {
            try {
                ch.close();
            } catch (IOException e) {
                throw new IllegalStateException("closing " + file, e);
            }
        });
    }

    private static InUseException inUse(Path root, Path file) {
        return new InUseException("data directory " + root + " is in use by " + holder(file)
                + "; stop that runtime or give another --data");
    }

    /** "process 1234 (java -jar nvdimm.jar ...)", as far as the lock file and the system tell. */
    static String holder(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            text = "";
        } catch (IOException e) {
            return "another process (" + file + " is unreadable: " + e.getMessage() + ")";
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return "another process (starting: " + file + " names no process yet)";
        }
        String what = pid == ProcessHandle.current().pid() ? "this process" : "process " + pid;
        Optional<String> command = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine());
        return command.map(c -> what + " (" + (c.length() > 160 ? c.substring(0, 157) + "..." : c) + ")").orElse(what);
    }

    /** Releases the lock, once (a descriptor number closed twice could be someone else's by then). */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
