package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Wait points at nesting levels: work at one level waiting for work a level below (a parent's publication
 * waiting for its child's) is an ordered nesting; a wait at the work's own level is recursive, and the
 * reverse nesting after the forward one is an inversion.
 */
class NestedWaitPointTest {
    private static final LockClass PUBLICATION = LockClass.of("test.publication");

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    NestedWaitPointTest() {
        lockdep.register(PUBLICATION);
    }

    @Test
    void workWaitingForWorkOfAHigherLevelIsNoReport() {
        WaitPoint namespace = lockdep.newWaitPoint(PUBLICATION, 3);
        WaitPoint btt = lockdep.newWaitPoint(PUBLICATION, 4);
        namespace.work(btt::beforeWait);
        assertEquals(0, lockdep.reports().size(), lockdep.reports()::toString);
    }

    @Test
    void workWaitingAtItsOwnLevelIsRecursive() {
        WaitPoint namespace = lockdep.newWaitPoint(PUBLICATION, 3);
        namespace.work(namespace::beforeWait);
        assertEquals(1, lockdep.reports().size());
        assertTrue(lockdep.reports().getFirst().toString().contains("recursive"), lockdep.reports()::toString);
    }

    @Test
    void theReverseNestingAfterTheForwardOneIsReported() {
        WaitPoint namespace = lockdep.newWaitPoint(PUBLICATION, 3);
        WaitPoint btt = lockdep.newWaitPoint(PUBLICATION, 4);
        namespace.work(btt::beforeWait);
        btt.work(namespace::beforeWait);
        assertEquals(1, lockdep.reports().size(), lockdep.reports()::toString);
    }
}
