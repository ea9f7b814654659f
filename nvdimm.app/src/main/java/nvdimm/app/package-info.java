/**
 * The nvdimm launcher. {@link nvdimm.app.Main} embeds Apache Felix, installs the runtime bundles it
 * carries, watches {@code deploy/} and {@code etc/} under the data directory with FileInstall, and
 * either opens an interactive Gogo shell or runs commands once:
 *
 * <pre>
 * nvdimm [--data DIR]                 interactive shell
 * nvdimm [--data DIR] -c "cmd; cmd"   run commands, print results, exit
 * nvdimm [--data DIR] -f SCRIPT       run a script file ("-" reads standard input)
 * </pre>
 *
 * The data directory defaults to {@code $NVDIMM_DATA}, else {@code ./nvdimm-data}.
 */
@Export
@Version("0.1.0")
package nvdimm.app;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
