/**
 * Lock-order validation for the nvdimm stack: lock classes with nesting levels, validated mutexes,
 * read/write and shadow locks, wait points, and reports of lock-order cycles (the JVM counterpart of
 * Linux lockdep). Every lock in the stack comes from this package.
 */
@Export
@Version("0.1.0")
package nvdimm.lockdep;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
