package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

/**
 * Patch 4/7: the flags read without {@code pmem_lock} (a request's done and descriptor-available flags,
 * its free mark, the host status, the thread to unpark, the queue's and ring's broken flags) are volatile, never bare fields.
 */
class WaitFlagOrderingTest {
    private static void assertVolatile(Class<?> type, String field) throws Exception {
        Field f = type.getDeclaredField(field);
        assertTrue(Modifier.isVolatile(f.getModifiers()), type.getSimpleName() + "." + field + " must be volatile");
    }

    @Test
    void lockFreeReadFlagsAreVolatile() throws Exception {
        assertVolatile(FlushRequest.class, "done");
        assertVolatile(FlushRequest.class, "bufAvail");
        assertVolatile(FlushRequest.class, "free");
        assertVolatile(FlushRequest.class, "hostStatus");
        assertVolatile(FlushRequest.class, "submitter");
        assertVolatile(VirtioPmemQueue.class, "broken");
        assertVolatile(SplitRing.class, "broken");
    }
}
