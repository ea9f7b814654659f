/**
 * The default provider: emulated DIMMs on files or memory, QEMU-layout image files and error
 * injection.
 */
@Export
@Version("0.3.0")
package nvdimm.emul;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
