package nvdimm.namespace.internal;

import nvdimm.lockdep.LockdepMode;

/** {@link ConcurrentCreateTest} with the validator in WARN: the serialisation is the code's, not the validator's. */
class ConcurrentCreateWarnTest extends ConcurrentCreateTest {
    @Override
    LockdepMode validatorMode() {
        return LockdepMode.WARN;
    }
}
