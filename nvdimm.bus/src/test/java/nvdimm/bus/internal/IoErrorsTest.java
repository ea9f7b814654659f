package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

class IoErrorsTest {

    private static NvdimmException convert(IOException e) {
        NvdimmException converted = IoErrors.toNvdimm("/img/pmem0.img", "cannot open the file", e);
        assertSame(e, converted.getCause());
        return converted;
    }

    @Test
    void typedExceptionsKeepTheirErrno() {
        assertEquals("/img/pmem0.img: cannot open the file: No such file or directory (ENOENT)",
                convert(new NoSuchFileException("/img/pmem0.img")).getMessage());
        assertEquals("/img/pmem0.img: cannot open the file: Permission denied (EACCES)",
                convert(new AccessDeniedException("/img/pmem0.img")).getMessage());
        assertEquals(Errno.EEXIST, convert(new FileAlreadyExistsException("/img/pmem0.img")).errno());
        assertEquals(Errno.ENOTDIR, convert(new NotDirectoryException("/img")).errno());
    }

    @Test
    void aReasonTextNamesTheErrno() {
        NvdimmException readOnly = convert(new FileSystemException("/img/pmem0.img", null, "Read-only file system"));
        assertEquals(Errno.EROFS, readOnly.errno());
        assertEquals("/img/pmem0.img: cannot open the file: Read-only file system (EROFS)", readOnly.getMessage());
        assertEquals(Errno.EISDIR, convert(new FileSystemException("/img", null, "Is a directory")).errno());
        assertEquals(Errno.EACCES, convert(new AccessDeniedException("/img/x", null, "Permission denied")).errno());
    }

    @Test
    void aMessageTextNamesTheErrno() {
        NvdimmException full = convert(new IOException("No space left on device"));
        assertEquals(Errno.ENOSPC, full.errno());
        assertEquals("/img/pmem0.img: cannot open the file: No space left on device (ENOSPC)", full.getMessage());
        assertEquals(Errno.EOPNOTSUPP, convert(new IOException("Operation not supported")).errno());
    }

    @Test
    void aFailedMappingIsEnomem() {
        NvdimmException e = convert(new IOException("Map failed", new OutOfMemoryError("Map failed")));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("/img/pmem0.img: cannot open the file: Map failed (ENOMEM)", e.getMessage());
    }

    @Test
    void anythingElseIsEio() {
        assertEquals(Errno.EIO, convert(new IOException("Stale file handle")).errno());
        assertEquals(Errno.EIO, convert(new FileSystemException("/img/x", null, "Something odd")).errno());
        NvdimmException bare = convert(new IOException());
        assertEquals(Errno.EIO, bare.errno());
        assertEquals("/img/pmem0.img: cannot open the file: Input/output error (EIO)", bare.getMessage());
        assertEquals("/img/pmem0.img: cannot open the file: Input/output error (EIO)",
                convert(new FileSystemException("/img/pmem0.img")).getMessage());
    }
}
