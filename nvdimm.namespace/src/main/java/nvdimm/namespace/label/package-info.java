/**
 * The label storage area of a DIMM as Linux and UEFI 2.7 lay it out: two index blocks, then the label
 * slots (v1.1 128-byte or v1.2 256-byte labels). The codec ({@link nvdimm.namespace.label.IndexBlock},
 * {@link nvdimm.namespace.label.NamespaceLabel}, {@link nvdimm.namespace.label.LabelArea}), the update
 * engine ({@link nvdimm.namespace.label.LabelAreaEditor}) and the label-management service
 * ({@link nvdimm.namespace.label.LabelAreas}, what {@code ndctl init-labels} and friends do).
 */
@Export
@Version("0.1.0")
package nvdimm.namespace.label;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
