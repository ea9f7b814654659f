package nvdimm.namespace.internal;

import java.util.Map;

import nvdimm.namespace.BlockDevice;

/**
 * Where the namespace driver registers the raw disks itself (the framework in the bundle, a recorder in
 * tests): unlike the namespace, a raw disk comes and goes while its namespace stays bound (claims).
 * Never called with a device lock held.
 */
interface DiskPublisher {
    /** A registered disk. */
    @FunctionalInterface
    interface Registration {
        /** Unregisters it; called once. */
        void withdraw();
    }

    Registration publish(BlockDevice disk, Map<String, Object> properties);
}
