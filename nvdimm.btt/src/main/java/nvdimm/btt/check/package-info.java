/**
 * What an offline BTT check finds ({@link nvdimm.btt.check.CheckReport}: findings, where, repaired or not, and a
 * verdict with its exit status) and the options it takes: the API of ndctl's {@code check-namespace} as this
 * stack offers it, on an attached namespace or an image file.
 */
@Export
@Version("0.1.0")
package nvdimm.btt.check;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
