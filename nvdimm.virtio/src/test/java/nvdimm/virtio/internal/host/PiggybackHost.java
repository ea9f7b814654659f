package nvdimm.virtio.internal.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The negative control's host: coalesces the wrong way, by adding a request that arrives while a force
 * runs to that force's batch. The ordering check must catch it.
 */
final class PiggybackHost {
    private final Forcer forcer;
    private final ReentrantLock lock = new ReentrantLock();
    private List<HostRequest> running; // the batch of the force in progress, guarded by lock

    PiggybackHost(Forcer forcer) {
        this.forcer = forcer;
    }

    void submit(HostRequest r) {
        lock.lock();
        try {
            if (running != null) {
                running.add(r); // joins a force that has already started: the bug
                return;
            }
            running = new ArrayList<>();
            running.add(r);
        } finally {
            lock.unlock();
        }
        Thread.ofPlatform().daemon().start(this::forceRunning);
    }

    private void forceRunning() {
        int status = 0;
        try {
            forcer.force();
        } catch (Exception e) {
            status = HostBackend.FAILED;
        }
        List<HostRequest> batch;
        lock.lock();
        try {
            batch = running;
            running = null;
        } finally {
            lock.unlock();
        }
        for (HostRequest r : batch) {
            r.hostDone(status, null);
        }
    }
}
