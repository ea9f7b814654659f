package nvdimm.lockdep;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import nvdimm.lockdep.internal.Validator;

/**
 * A lock-order validator: the JVM counterpart of Linux lockdep. Register the {@link LockClass}es you
 * use, make locks of them here, and every acquisition is checked against every order seen before on any
 * thread: an ABBA (or longer) cycle is reported the first time both orders have been <em>seen</em>, even
 * if they never collide.
 *
 * <p>Works without OSGi: {@code new Lockdep(LockdepMode.THROW)} gives a fresh, independent validator.
 * Inside OSGi the {@code nvdimm.lockdep} bundle registers one validator for the framework as a
 * bundle-scoped {@code Lockdep} service: each bundle gets a view ({@link #forOwner}) whose registered
 * classes are released, with their dependencies and cached chains, when that bundle ungets the service.
 *
 * <p>Everything except {@link #register} and {@link #release} acts on the whole validator, whichever view
 * it is called on.
 */
public final class Lockdep {
    private final Validator validator;
    private final Object owner;

    /** A validator in {@link LockdepMode#WARN} mode that logs reports to java.util.logging. */
    public Lockdep() {
        this(LockdepMode.WARN);
    }

    /** A validator that logs reports as warnings to the {@code nvdimm.lockdep} java.util.logging logger. */
    public Lockdep(LockdepMode mode) {
        this(mode, null);
    }

    /**
     * A validator whose new reports go to {@code sink} instead of the log (e.g. {@code r -> {}} in tests
     * that provoke many reports).
     */
    public Lockdep(LockdepMode mode, Consumer<? super LockdepReport> sink) {
        this.validator = new Validator(forced(Objects.requireNonNull(mode, "mode")), sink);
        this.owner = this;
    }

    /**
     * The system property that forces one mode on every validator of the JVM, whatever it is made or set
     * with: for measuring the validator's cost on a whole test suite ({@code -Dnvdimm.lockdep.force=off}, then
     * {@code throw}). Tests of the validator's own reports fail under {@code off}, as they should.
     */
    public static final String FORCE_PROPERTY = "nvdimm.lockdep.force";

    private static LockdepMode forced(LockdepMode mode) {
        String force = System.getProperty(FORCE_PROPERTY);
        return force == null || force.isBlank() ? mode : LockdepMode.parse(force);
    }

    private Lockdep(Validator validator, Object owner) {
        this.validator = validator;
        this.owner = owner;
    }

    /** A view of this validator whose {@link #register registrations} belong to {@code owner}. */
    public Lockdep forOwner(Object owner) {
        return new Lockdep(validator, Objects.requireNonNull(owner, "owner"));
    }

    /**
     * Registers classes for this view's owner. A class registered already (by anyone) stays as it is, and
     * this owner becomes one more of its owners: the class lives until the last of them is released.
     *
     * @throws IllegalArgumentException if another class with the same name is registered
     */
    public void register(LockClass... classes) {
        validator.register(owner, classes);
    }

    public boolean isRegistered(LockClass lockClass) {
        return validator.isRegistered(lockClass);
    }

    /**
     * Releases the classes registered by {@code owner}: those no other owner registered too leave the
     * graph with their dependencies, cached chains and recorded stacks. Locks of a released class are
     * reported as unregistered if they are used again.
     *
     * @return how many classes left the graph
     */
    public int release(Object owner) {
        return validator.release(owner);
    }

    /**
     * A mutex of a registered class. Making a lock of a class that is not registered fails at once, in
     * every mode (here and in the other {@code new} methods): an {@link LockdepReport.Kind#UNREGISTERED_CLASS}
     * report (unless the mode is {@link LockdepMode#OFF}) and a {@link LockdepException}.
     *
     * @throws LockdepException if {@code lockClass} is not registered with this validator
     */
    public Mutex newMutex(LockClass lockClass) {
        return newMutex(lockClass, 0);
    }

    /** A mutex at nesting level {@code subclass} (0 to 7) of its class; see {@link #newMutex(LockClass)}. */
    public Mutex newMutex(LockClass lockClass, int subclass) {
        return validator.newMutex(lockClass, subclass);
    }

    public RwLock newRwLock(LockClass lockClass) {
        return newRwLock(lockClass, 0);
    }

    public RwLock newRwLock(LockClass lockClass, int subclass) {
        return validator.newRwLock(lockClass, subclass);
    }

    public ShadowLock newShadowLock(LockClass lockClass) {
        return newShadowLock(lockClass, 0, null);
    }

    /**
     * A shadow of a lock the validator cannot replace.
     *
     * @param realHeld tells whether the calling thread holds the real lock (e.g. {@code () ->
     *     Thread.holdsLock(monitor)}), to cross-check the shadow; {@code null} if it cannot be told
     */
    public ShadowLock newShadowLock(LockClass lockClass, int subclass, BooleanSupplier realHeld) {
        return validator.newShadowLock(lockClass, subclass, realHeld);
    }

    public WaitPoint newWaitPoint(LockClass lockClass) {
        return newWaitPoint(lockClass, 0);
    }

    /**
     * A wait point at nesting level {@code subclass} (0 to 7) of its class: work at one level may wait for
     * work at a higher level (a parent's publication waiting for its child's), which the validator orders as
     * it orders nested locks, where a wait at the same level would be reported as recursive.
     */
    public WaitPoint newWaitPoint(LockClass lockClass, int subclass) {
        return validator.newWaitPoint(lockClass, subclass);
    }

    /** Reports if the calling thread holds a lock of an {@link LockClass.Flag#ATOMIC} class. */
    public void mightSleep() {
        validator.mightSleep();
    }

    /** Reports unless the calling thread holds {@code lock} (a validated lock, or one side of an RwLock). */
    public void assertHeld(Lock lock) {
        validator.assertHeld(lock);
    }

    /** Reports unless the calling thread holds {@code lock} for reading or writing. */
    public void assertHeld(ReadWriteLock lock) {
        validator.assertHeld(lock);
    }

    public void assertHeld(ShadowLock lock) {
        validator.assertHeld(lock);
    }

    /**
     * Reports if the calling thread holds any validated lock, e.g. when control returns to the framework
     * from an activate, deactivate or bind method or a service event callback.
     */
    public void assertNoneHeld() {
        validator.assertNoneHeld();
    }

    /** The locks the calling thread holds, outermost first. */
    public List<HeldLock> heldLocks() {
        return validator.heldLocks();
    }

    public LockdepMode mode() {
        return validator.mode();
    }

    public void setMode(LockdepMode mode) {
        validator.setMode(forced(Objects.requireNonNull(mode, "mode")));
    }

    /**
     * The distinct reports since the last {@link #reset()}, oldest first. A cycle is the same report
     * again when it has the same dependencies, whichever lock closes it. Any other report is the same
     * again when its kind, locks and calling stack ({@link LockdepReport#stack()}: every frame outside
     * the validator) match: reports are told apart by their caller outside the validator and outside any
     * helper in between, so a helper shared by several callers (a {@code withLock} wrapper, a device-lock
     * wrapper) gives one report per caller, while one caller repeating its mistake gives one.
     */
    public List<LockdepReport> reports() {
        return validator.reports();
    }

    public LockdepStatus status() {
        return validator.status();
    }

    /** Every recorded dependency, one per type, sorted by name. */
    public List<Dependency> dependencies() {
        return validator.dependencies(null);
    }

    /** The dependencies from or to any subclass of the class named {@code className}. */
    public List<Dependency> dependencies(String className) {
        return validator.dependencies(Objects.requireNonNull(className, "className"));
    }

    /** The whole graph in Graphviz dot. */
    public String toDot() {
        return validator.toDot(null);
    }

    /** The neighbourhood of the class named {@code className} in Graphviz dot, that class in bold. */
    public String toDot(String className) {
        return validator.toDot(Objects.requireNonNull(className, "className"));
    }

    /** Forgets every dependency, cached chain and report; classes, locks, mode and listeners stay. */
    public void reset() {
        validator.reset();
    }

    /** Tells {@code listener} of each new report (after the sink), on the thread that hit it. */
    public void addListener(Consumer<? super LockdepReport> listener) {
        validator.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<? super LockdepReport> listener) {
        validator.removeListener(listener);
    }

    @Override
    public String toString() {
        return "Lockdep[" + validator.status() + "]";
    }
}
