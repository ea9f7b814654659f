package nvdimm.namespace.internal;

import nvdimm.lockdep.LockdepMode;

/** {@link ConcurrentCreateTest} with the validator in OFF: the serialisation is the code's, not the validator's. */
class ConcurrentCreateOffTest extends ConcurrentCreateTest {
    @Override
    LockdepMode validatorMode() {
        return LockdepMode.OFF;
    }
}
