package nvdimm.namespace.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.BlockDevice;
import nvdimm.region.testing.TestPublisher;

/**
 * The raw disks registered now, by name. Violations: a registration or withdrawal under a device lock, a
 * second registration of a registered name, and a disk withdrawn after it stopped working.
 */
final class TestDisks implements DiskPublisher {
    private final Lockdep lockdep;
    final Map<String, BlockDevice> active = new ConcurrentHashMap<>();
    final List<String> timeline = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    TestDisks(Lockdep lockdep) {
        this.lockdep = lockdep;
    }

    @Override
    public Registration publish(BlockDevice disk, Map<String, Object> properties) {
        TestPublisher.checkNoDeviceLock(lockdep, violations, "register " + disk.name());
        if (!disk.name().equals(properties.get(BlockDevice.SERVICE_NAME))) {
            violations.add(disk.name() + " registered with the name property " + properties.get(BlockDevice.SERVICE_NAME));
        }
        if (active.putIfAbsent(disk.name(), disk) != null) {
            violations.add(disk.name() + " registered twice");
        }
        timeline.add("+" + disk.name());
        return () -> {
            TestPublisher.checkNoDeviceLock(lockdep, violations, "withdraw " + disk.name());
            if (!disk.isActive()) {
                violations.add(disk.name() + " withdrawn after it stopped working");
            }
            active.remove(disk.name(), disk);
            timeline.add("-" + disk.name());
        };
    }

    Optional<BlockDevice> disk(String name) {
        return Optional.ofNullable(active.get(name));
    }
}
