/**
 * The offline BTT checker and repairer: ndctl's {@code check-namespace} ({@code ndctl/check.c}) over a
 * namespace's bytes, every check and repair in ndctl's order, with ndctl's verdicts, plus what ndctl cannot do
 * (BTTs whose internal block size differs from the external one; {@code info2off} read whole). Works on any
 * {@link nvdimm.bus.Medium}: an attached namespace whose BTT is released, or an image file. Nothing is written
 * without {@link nvdimm.btt.internal.check.CheckOptions#repair()}.
 */
package nvdimm.btt.internal.check;

import nvdimm.btt.check.CheckOptions;
