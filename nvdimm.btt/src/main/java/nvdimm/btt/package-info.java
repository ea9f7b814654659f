/**
 * The Block Translation Table: the BTT engine that gives power-fail sector atomicity, BTT
 * devices, and the BTT checker and repair.
 */
@Export
@Version("0.2.0")
package nvdimm.btt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
