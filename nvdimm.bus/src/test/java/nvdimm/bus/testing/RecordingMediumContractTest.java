package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;

/** The medium contract on a recording medium; a refused call must also leave the log alone. */
class RecordingMediumContractTest extends MediumContract {

    @Override
    protected Medium open(long size) {
        return new RecordingMedium("rec0", size);
    }

    @Override
    protected Object trace(Medium m) {
        RecordingMedium recording = (RecordingMedium) m;
        return List.of(recording.log(), recording.pendingWords());
    }

    @Test
    void modelsPersistentMemory() {
        assertEquals(Medium.Persistence.POWER_FAILURE, medium.persistence());
        assertEquals("rec0", medium.name());
    }

    @Test
    void refusedBarriersAreNotLogged() {
        RecordingMedium recording = (RecordingMedium) medium;
        medium.writeLong(0, 1L);
        assertErrno(Errno.ENXIO, () -> medium.persist(0, SIZE + 8));
        assertErrno(Errno.EINVAL, () -> medium.persist(-8, 8));
        assertEquals(1, recording.log().size());
        assertEquals(1, recording.pendingWords());
        medium.close();
        assertErrno(Errno.ENXIO, medium::sync);
        assertErrno(Errno.ENXIO, () -> medium.persist(0, 8));
        assertEquals(1, recording.log().size());
        assertEquals(1, recording.pendingWords());
    }

    @Test
    void refusesSizesThatAreNotPositiveMultiplesOfEight() {
        assertErrno(Errno.EINVAL, () -> new RecordingMedium("odd", 12));
        assertErrno(Errno.EINVAL, () -> new RecordingMedium("odd", 0));
        assertErrno(Errno.EINVAL, () -> new RecordingMedium("odd", -8));
    }
}
