package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;

import org.junit.jupiter.api.Test;

/** The medium contract on a crash image, which shares its pages copy-on-write with the recorder. */
class CrashImageContractTest extends MediumContract {

    @Override
    protected Medium open(long size) {
        return new RecordingMedium("rec", size).crashPoint().noneApplied();
    }

    @Test
    void anImageIsVolatile() {
        assertEquals(Medium.Persistence.VOLATILE, medium.persistence());
    }
}
