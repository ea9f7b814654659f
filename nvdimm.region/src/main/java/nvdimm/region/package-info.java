/**
 * Regions of persistent memory: interleave sets, lanes, flush and deep flush, and region
 * badblocks.
 */
@Export
@Version("0.3.0")
package nvdimm.region;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
