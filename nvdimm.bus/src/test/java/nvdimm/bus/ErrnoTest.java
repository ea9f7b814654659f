package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrnoTest {

    /** Codes from Linux's asm-generic/errno-base.h and errno.h; texts as glibc prints them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            EPERM      | 1   | Operation not permitted
            ENOENT     | 2   | No such file or directory
            EINTR      | 4   | Interrupted system call
            EIO        | 5   | Input/output error
            ENXIO      | 6   | No such device or address
            EAGAIN     | 11  | Resource temporarily unavailable
            ENOMEM     | 12  | Cannot allocate memory
            EACCES     | 13  | Permission denied
            EBUSY      | 16  | Device or resource busy
            EEXIST     | 17  | File exists
            ENODEV     | 19  | No such device
            ENOTDIR    | 20  | Not a directory
            EISDIR     | 21  | Is a directory
            EINVAL     | 22  | Invalid argument
            ENOTTY     | 25  | Inappropriate ioctl for device
            EFBIG      | 27  | File too large
            ENOSPC     | 28  | No space left on device
            EROFS      | 30  | Read-only file system
            ERANGE     | 34  | Numerical result out of range
            EDEADLK    | 35  | Resource deadlock avoided
            EOPNOTSUPP | 95  | Operation not supported
            ETIMEDOUT  | 110 | Connection timed out
            """)
    void matchesLinux(String name, int code, String text) {
        Errno errno = Errno.valueOf(name);
        assertEquals(code, errno.code());
        assertEquals(text, errno.strerror());
        assertEquals(Optional.of(errno), Errno.ofCode(code));
        assertEquals(Optional.of(errno), Errno.ofStrerror(text));
    }

    @Test
    void everyErrnoIsInTheTableAbove() {
        assertEquals(22, Errno.values().length);
    }

    @Test
    void codesAndTextsAreUnique() {
        Set<Integer> codes = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (Errno errno : Errno.values()) {
            assertTrue(codes.add(errno.code()), errno + " repeats a code");
            assertTrue(texts.add(errno.strerror()), errno + " repeats a text");
        }
    }

    @Test
    void unknownCodesAndTextsAreEmpty() {
        assertEquals(Optional.empty(), Errno.ofCode(0));
        assertEquals(Optional.empty(), Errno.ofCode(-5));
        assertEquals(Optional.empty(), Errno.ofCode(3));
        assertEquals(Optional.empty(), Errno.ofStrerror("input/output error"));
        assertEquals(Optional.empty(), Errno.ofStrerror(""));
    }
}
