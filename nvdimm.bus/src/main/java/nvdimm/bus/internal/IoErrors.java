package nvdimm.bus.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Turns the JDK's file errors back into the errno the system call failed with. The JDK names a
 * few errors by exception type and reports every other one as its strerror text, which
 * {@link Errno#ofStrerror(String)} maps back.
 */
public final class IoErrors {

    private IoErrors() {
    }

    /**
     * The failure of {@code action} on the named object.
     *
     * @param name the object, usually a path
     * @param action what was being done, for example "cannot open the file"
     * @param e what the JDK threw
     * @return an exception with message {@code "<name>: <action>: <reason>"}
     */
    public static NvdimmException toNvdimm(String name, String action, IOException e) {
        Errno errno = errnoOf(e);
        return new NvdimmException(errno, name + ": " + action + ": " + reasonOf(e, errno), e);
    }

    static Errno errnoOf(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> Errno.ENOENT;
            case AccessDeniedException x -> Errno.EACCES;
            case FileAlreadyExistsException x -> Errno.EEXIST;
            case NotDirectoryException x -> Errno.ENOTDIR;
            case FileSystemException x when x.getReason() != null -> Errno.ofStrerror(x.getReason()).orElse(Errno.EIO);
            default -> {
                if (e.getCause() instanceof OutOfMemoryError) {
                    yield Errno.ENOMEM; // FileChannel.map reports a failed mmap as "Map failed" caused by OOM
                }
                yield e.getMessage() == null ? Errno.EIO : Errno.ofStrerror(e.getMessage()).orElse(Errno.EIO);
            }
        };
    }

    private static String reasonOf(IOException e, Errno errno) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : errno.strerror();
        }
        return e.getMessage() != null ? e.getMessage() : errno.strerror();
    }
}
