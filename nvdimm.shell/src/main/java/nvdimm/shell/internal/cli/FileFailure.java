package nvdimm.shell.internal.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * A host file a command could not open, as ndctl reports it ({@code failed to open: FILE: (strerror)}), with
 * the errno the file system gave rather than EIO: a missing directory is ENOENT, a directory EISDIR.
 */
public final class FileFailure {

    private FileFailure() {
    }

    public static NvdimmException of(Path file, IOException e) {
        Errno errno = errno(file, e);
        return new NvdimmException(errno, "failed to open: " + file + ": (" + errno.strerror() + ")", e);
    }

    private static Errno errno(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return java.nio.file.Files.isDirectory(file) ? Errno.EISDIR : Errno.EACCES;
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (java.nio.file.Files.isDirectory(file)) {
            return Errno.EISDIR;
        }
        // the JDK reports a failed system call's errno as its strerror text (/dev/full: "No space left on device")
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return reason == null ? Errno.EIO : Errno.ofStrerror(reason).orElse(Errno.EIO);
    }
}
