package nvdimm.virtio.internal.queue;

import java.util.ArrayList;
import java.util.List;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;

/** A queue on a scripted device, under a validator in THROW mode whose reports the test checks. */
final class QueueFixture {
    final List<LockdepReport> reports = new ArrayList<>();
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> {
        synchronized (reports) {
            reports.add(r);
        }
    });
    final ScriptedDevice device = new ScriptedDevice();
    final VirtioPmemQueue queue;

    QueueFixture(int queueSize, int poolSize, Protections protections) {
        QueueLocks.register(lockdep);
        queue = new VirtioPmemQueue("virtio-pmem0", lockdep, device, queueSize, poolSize, protections);
        device.queue = queue;
    }

    QueueFixture(int queueSize, int poolSize) {
        this(queueSize, poolSize, Protections.SERIES_2026);
    }

    List<LockdepReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }
}
