package nvdimm.emul.internal;

import java.nio.file.Path;

import nvdimm.bus.Medium;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * One emulated DIMM: its description and its backing, a medium holding its persistent memory at
 * offset 0 and its label area at {@code labelOffset} (the layout of a QEMU nvdimm's backend).
 *
 * @param descriptor what the bus is told
 * @param medium the whole backing (a mapped file, or memory)
 * @param labelOffset where the label area starts in {@code medium}
 * @param file the backing file, or {@code null} for memory
 * @param labelLock serialises label reads and writes
 * @param fileLock the QEMU-style lock on {@code file} that keeps other processes out, or {@code null}
 */
record EmulDimm(DimmDescriptor descriptor, Medium medium, long labelOffset, Path file, Mutex labelLock,
        ImageLock fileLock) {

    EmulDimm(DimmDescriptor descriptor, Medium medium, long labelOffset, Path file, Lockdep lockdep) {
        this(descriptor, medium, labelOffset, file, lockdep, null);
    }

    EmulDimm(DimmDescriptor descriptor, Medium medium, long labelOffset, Path file, Lockdep lockdep,
            ImageLock fileLock) {
        this(descriptor, medium, labelOffset, file, lockdep.newMutex(Locks.LABEL_AREA), fileLock);
    }

    EmulDimm {
        if (labelOffset < descriptor.size() || labelOffset > medium.size() - descriptor.labelAreaSize()) {
            throw new IllegalArgumentException(medium.name() + ": label area at " + labelOffset + " of "
                    + descriptor.labelAreaSize() + " bytes does not fit after " + descriptor.size()
                    + " bytes of persistent memory in " + medium.size());
        }
    }

    int handle() {
        return descriptor.handle();
    }

    long labelSize() {
        return descriptor.labelAreaSize();
    }
}
