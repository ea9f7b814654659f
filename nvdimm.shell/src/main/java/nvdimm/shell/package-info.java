/**
 * Gogo commands that speak ndctl ({@code ndctl:*}) and the stack's own scopes ({@code nvdimm:*},
 * {@code lockdep:*}, {@code virtio:*}).
 */
@Export
@Version("0.1.0")
package nvdimm.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
