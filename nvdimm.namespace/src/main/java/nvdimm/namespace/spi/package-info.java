/** The interface modes other than raw (the BTT's sector mode) implement for the namespace bundle. */
@Export
@Version("0.2.0")
package nvdimm.namespace.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
