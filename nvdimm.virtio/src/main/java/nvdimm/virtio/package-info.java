/**
 * The virtio-pmem provider: a bus whose region is flushed asynchronously by a host through a
 * virtqueue.
 */
@Export
@Version("0.2.0")
package nvdimm.virtio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
