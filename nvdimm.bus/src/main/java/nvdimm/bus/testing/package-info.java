/**
 * Test support for crash consistency: a {@link nvdimm.bus.testing.RecordingMedium} logs every
 * store and persistence barrier of a workload and produces the crash images a power failure could
 * leave at each barrier, so a test can run recovery on every one of them. A
 * {@link nvdimm.bus.testing.CrashRecorder} records several media (a region's DIMMs and label areas)
 * in one log for joint images; an {@link nvdimm.bus.testing.ImagePolicy} enumerates metadata ranges
 * exhaustively and samples data ranges; images share the persisted pages copy-on-write.
 *
 * <p>The model follows PMDK's pmemcheck and pmreorder (stores between barriers may reach the
 * persistence domain in any order and any subset), at 8-byte granularity, the unit of power-fail
 * atomicity on x86 persistent memory.
 */
@Export
@Version("0.2.0")
package nvdimm.bus.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
