/**
 * Lock-order validation for the nvdimm stack: the JVM counterpart of Linux lockdep. Every lock in the
 * stack comes from here.
 *
 * <ul>
 *   <li>{@link nvdimm.lockdep.LockClass}: a class of locks sharing one set of ordering rules, with
 *       subclasses 0..7 for ordered nesting within the class (bus 0, command 1, DIMM/region 2, namespace 3,
 *       claim 4), and flags: recursion allowed, atomic (non-sleeping), recursive readers.</li>
 *   <li>{@link nvdimm.lockdep.Lockdep}: a validator. Register classes, make locks ({@link
 *       nvdimm.lockdep.Mutex}, {@link nvdimm.lockdep.RwLock}, {@link nvdimm.lockdep.ShadowLock}, {@link
 *       nvdimm.lockdep.WaitPoint}), check ({@code mightSleep}, {@code assertHeld}, {@code
 *       assertNoneHeld}), read the state ({@code status}, {@code reports}, {@code dependencies}, {@code
 *       toDot}), change the {@link nvdimm.lockdep.LockdepMode mode}, {@code reset}. Works without OSGi;
 *       in OSGi the bundle registers one bundle-scoped {@code Lockdep} service for the framework
 *       (configuration PID {@code nvdimm.lockdep}, property {@code mode}) and releases a bundle's classes
 *       when it ungets the service.</li>
 *   <li>What is checked: every new dependency "held, then acquired" against all dependencies seen
 *       before, on any thread, for a cycle of any length (including waits, read/write rules, subclasses);
 *       recursive locking; unlock of a lock not held; sleeping under an atomic lock; assertions; shadow
 *       locks out of step with their real lock; locks of unregistered classes.</li>
 *   <li>What it costs: an acquisition whose held-lock sequence was seen before is a lock-free,
 *       allocation-free lookup; only a new sequence takes the validator's internal lock.</li>
 *   <li>{@link nvdimm.lockdep.LockdepReport}: what was found, as data, and as text for a terminal. In
 *       {@link nvdimm.lockdep.LockdepMode#THROW} mode the offending call throws {@link
 *       nvdimm.lockdep.LockdepException} before it blocks.</li>
 * </ul>
 */
@Export
@Version("0.3.0")
package nvdimm.lockdep;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
