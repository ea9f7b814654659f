package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class NvdimmExceptionTest {

    @Test
    void messageIsTheDetailThenTheErrnoName() {
        NvdimmException e = new NvdimmException(Errno.ENXIO, "pmem0.img: offset 4096 + 512 is beyond the medium's size 4096");
        assertEquals("pmem0.img: offset 4096 + 512 is beyond the medium's size 4096 (ENXIO)", e.getMessage());
        assertEquals("pmem0.img: offset 4096 + 512 is beyond the medium's size 4096", e.detail());
        assertEquals(Errno.ENXIO, e.errno());
        assertEquals("No such device or address", e.strerror());
        assertNull(e.getCause());
    }

    @Test
    void keepsTheCause() {
        IOException cause = new IOException("No space left on device");
        NvdimmException e = new NvdimmException(Errno.ENOSPC, "pmem0.img: cannot extend the file", cause);
        assertSame(cause, e.getCause());
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals("pmem0.img: cannot extend the file (ENOSPC)", e.getMessage());
    }

    @Test
    void refusesNulls() {
        assertThrows(NullPointerException.class, () -> new NvdimmException(null, "x"));
        assertThrows(NullPointerException.class, () -> new NvdimmException(Errno.EIO, null));
    }
}
