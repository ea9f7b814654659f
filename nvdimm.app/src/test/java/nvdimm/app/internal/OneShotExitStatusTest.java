package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exit codes of statements that threw: ndctl's, found by method name across class loaders. */
class OneShotExitStatusTest {

    /** Stands for the stack's Errno: an enum-like value with {@code code()}. */
    public record Code(int code) {
    }

    /** Stands for NvdimmException: carries {@code errno()}. */
    public static final class WithErrno extends RuntimeException {
        private final Code errno;

        public WithErrno(int code, Throwable cause) {
            super("failed", cause);
            this.errno = new Code(code);
        }

        public Code errno() {
            return errno;
        }
    }

    /** Stands for the shell's usage error: names its exit status. */
    public static final class WithStatus extends IllegalArgumentException {
        public WithStatus() {
            super("bad option");
        }

        public int exitStatus() {
            return 129;
        }
    }

    @Test
    void anErrnoExitsAsNdctlsNegativeErrno() {
        assertEquals(240, OneShot.exitStatus(new WithErrno(16, null)), "EBUSY");
        assertEquals(234, OneShot.exitStatus(new WithErrno(22, null)), "EINVAL");
        assertEquals(250, OneShot.exitStatus(new WithErrno(6, null)), "ENXIO");
    }

    @Test
    void anErrnoFoundAmongTheCausesCounts() {
        assertEquals(228, OneShot.exitStatus(new IllegalStateException("wrapped", new WithErrno(28, null))));
    }

    @Test
    void anExitStatusOfItsOwnWins() {
        assertEquals(129, OneShot.exitStatus(new WithStatus()));
    }

    @Test
    void anythingElseIsOne() {
        assertEquals(OneShot.FAILED, OneShot.exitStatus(new IllegalStateException("plain")));
        assertEquals(OneShot.FAILED, OneShot.exitStatus(new WithErrno(0, null)), "no errno 0");
        assertEquals(OneShot.FAILED, OneShot.exitStatus(new WithErrno(300, null)), "out of range");
    }
}
