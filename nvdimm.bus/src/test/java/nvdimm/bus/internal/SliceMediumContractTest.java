package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;
import nvdimm.bus.NvdimmException;

/** The medium contract on a slice of a larger memory medium, and what a slice adds: its offset and bounds. */
class SliceMediumContractTest extends MediumContract {
    private static final long BEFORE = 8192;
    private Medium whole;

    @Override
    protected Medium open(long size) {
        whole = Media.memory("whole", size + 2 * BEFORE);
        return Media.slice(whole, "part", BEFORE, size);
    }

    @AfterEach
    void closeWhole() {
        whole.close();
    }

    @Test
    void itsOffsetZeroIsTheMediumsOffset() {
        medium.writeLong(0, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, whole.readLong(BEFORE));
        whole.writeInt(BEFORE + SIZE - 4, 42);
        assertEquals(42, medium.readInt(SIZE - 4));
    }

    @Test
    void itsBoundsAreItsOwnAndClosingItLeavesTheMediumOpen() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> medium.read(SIZE - 4, new byte[8]));
        assertEquals(Errno.ENXIO, e.errno());
        assertEquals(true, e.getMessage().contains("part"));
        medium.close();
        whole.writeLong(0, 1);
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> medium.readLong(0)).errno());
    }

    @Test
    void aSliceOutsideTheMediumIsRefused() {
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class,
                () -> Media.slice(whole, "x", whole.size() - 8, 16)).errno());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class,
                () -> Media.slice(whole, "x", -8, 16)).errno());
    }
}
