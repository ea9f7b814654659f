/**
 * The device core of the nvdimm stack: devices with Linux names, drivers, buses and DIMMs,
 * commands (the ioctl path), media and device events.
 */
@Export
@Version("0.5.0")
package nvdimm.bus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
