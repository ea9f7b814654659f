/**
 * Namespaces: label areas and labels, namespace devices, capacity allocation, claims and the
 * raw pmem block device.
 */
@Export
@Version("0.2.0")
package nvdimm.namespace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
