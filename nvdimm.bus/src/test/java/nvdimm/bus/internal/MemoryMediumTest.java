package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;

class MemoryMediumTest extends MediumContract {

    @Override
    protected Medium open(long size) {
        return Media.memory("mem0", size);
    }

    @Test
    void isVolatileAndNamed() {
        assertEquals(Medium.Persistence.VOLATILE, medium.persistence());
        assertEquals("mem0", medium.name());
    }

    @Test
    void refusesSizesThatAreNotPositive() {
        assertErrno(Errno.EINVAL, () -> Media.memory("mem1", 0));
        assertErrno(Errno.EINVAL, () -> Media.memory("mem1", -4096));
    }

    @Test
    void reportsAFailedAllocationAsEnomem() {
        assertErrno(Errno.ENOMEM, () -> Media.memory("huge", Long.MAX_VALUE / 2));
    }
}
