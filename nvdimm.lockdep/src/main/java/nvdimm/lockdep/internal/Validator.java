package nvdimm.lockdep.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.DependencyType;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockNode;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepReport.Kind;
import nvdimm.lockdep.LockdepStatus;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.RwLock;
import nvdimm.lockdep.ShadowLock;
import nvdimm.lockdep.WaitPoint;
import nvdimm.lockdep.internal.Findings.Finding;

/**
 * The validator behind {@link nvdimm.lockdep.Lockdep}: classes, per-thread held stacks, the chain cache,
 * the dependency graph and the reports (built by {@link Findings}, kept and delivered by {@link ReportBook}).
 *
 * <p>The acquisition path: compute the chain key of "held locks + this one" from the top of the held
 * stack; if the chain cache has it, the sequence was validated before and nothing else happens (no lock,
 * no allocation). Otherwise take the graph lock, look again, and validate: sleeping under an atomic lock,
 * recursion, and the new dependencies, each checked for closing a cycle as it is inserted. Check and
 * insertion happen under the one lock, so two threads adding opposite dependencies at once cannot both
 * miss the cycle (Guava issue 2048). Reports are built under the lock but delivered after it is released,
 * since the listeners may log, post events or even take validated locks.
 */
public final class Validator {
    private static final ClassRecord[] NO_CLASSES = {};

    volatile LockdepMode mode;
    /** Bumped when the validator is turned off: stacks from before are stale once it is back on. */
    private int epoch;
    /**
     * The epoch while validating, -1 while off: the hot path learns both from one volatile read
     * ({@link ValidatedMutex}); everything else reads {@link #mode}.
     */
    volatile int gate;
    private final ThreadLocal<HeldStack> stacks = ThreadLocal.withInitial(() -> new HeldStack(gate));
    private final ClassRegistry classes = new ClassRegistry();
    private final ChainCache chains = new ChainCache();
    private final DependencyGraph graph = new DependencyGraph();
    private final Sites sites = new Sites();
    /** A plain JDK lock, taken only on the slow path: the validator never validates itself. */
    private final ReentrantLock graphLock = new ReentrantLock();
    private final ReportBook reports;

    /**
     * @param sink receives each new report; {@code null} logs it as a warning to the
     *     {@code nvdimm.lockdep} java.util.logging logger
     */
    public Validator(LockdepMode mode, Consumer<? super LockdepReport> sink) {
        this.mode = mode;
        this.gate = mode == LockdepMode.OFF ? -1 : 0;
        this.reports = new ReportBook(sink);
    }

    // ---------------------------------------------------------------- classes and locks

    public void register(Object owner, LockClass... lockClasses) {
        graphLock.lock();
        try {
            for (LockClass c : lockClasses) {
                classes.register(c, owner);
            }
            graph.ensureNodes(classes.slotsUsed() * LockClass.MAX_SUBCLASSES);
        } finally {
            graphLock.unlock();
        }
    }

    public boolean isRegistered(LockClass lockClass) {
        return classes.find(lockClass) != null;
    }

    /** Drops the classes of {@code owner}, their dependencies and every chain that mentions them. */
    public int release(Object owner) {
        graphLock.lock();
        try {
            List<ClassRecord> gone = classes.release(owner);
            if (gone.isEmpty()) {
                return 0;
            }
            for (ClassRecord r : gone) {
                for (int sub = 0; sub < LockClass.MAX_SUBCLASSES; sub++) {
                    graph.removeNode(r.node(sub));
                }
            }
            // Flagged chains go too: a dependency refused because of a released class may be fine now.
            chains.purge(c -> c.flagged || c.mentionsReleased());
            sites.retain(liveSites());
            return gone.size();
        } finally {
            graphLock.unlock();
        }
    }

    /** The sites the graph and the chain cache still refer to. Caller holds the graph lock. */
    private Set<Site> liveSites() {
        Set<Site> live = new HashSet<>();
        for (DependencyGraph.Edge e : graph.edges()) {
            for (Site s : e.sites) {
                if (s != null) {
                    live.add(s);
                }
            }
        }
        chains.forEach(c -> live.add(c.site));
        return live;
    }

    ClassRecord resolve(LockClass lockClass) {
        return classes.find(lockClass);
    }

    /** Slots ever used by classes; for tests that check that releases do not leak. */
    int classSlotsUsed() {
        graphLock.lock();
        try {
            return classes.slotsUsed();
        } finally {
            graphLock.unlock();
        }
    }

    public Mutex newMutex(LockClass lockClass, int subclass) {
        return new ValidatedMutex(this, requireRegistered(lockClass, subclass, "a mutex"), subclass);
    }

    public RwLock newRwLock(LockClass lockClass, int subclass) {
        requireRegistered(lockClass, subclass, "a read/write lock");
        RwSync sync = lockClass.has(LockClass.Flag.RECURSIVE_READ) ? new ReaderPreferringLock() : new RwSync.Jdk();
        return new ValidatedRwLock(this, lockClass, subclass, sync);
    }

    public ShadowLock newShadowLock(LockClass lockClass, int subclass, BooleanSupplier realHeld) {
        return new ValidatedShadowLock(this, requireRegistered(lockClass, subclass, "a shadow lock"), subclass,
                realHeld);
    }

    public WaitPoint newWaitPoint(LockClass lockClass, int subclass) {
        return new ValidatedWaitPoint(this, requireRegistered(lockClass, subclass, "a wait point"), subclass);
    }

    /**
     * Checks a class and subclass a lock is to be made of. A class that is not registered fails at once
     * in every mode, where the mistake is, rather than at the lock's first use: a report unless the
     * validator is off, and the exception.
     */
    private LockClass requireRegistered(LockClass lockClass, int subclass, String what) {
        lockClass.checkSubclass(subclass);
        if (isRegistered(lockClass)) {
            return lockClass;
        }
        LockNode node = new LockNode(lockClass.name(), subclass);
        String summary = "thread \"" + Thread.currentThread().getName() + "\" is trying to make " + what + " of "
                + node + ", whose class is not registered with this validator (register it before making its"
                + " locks)";
        Finding f = Findings.simple(Kind.UNREGISTERED_CLASS, summary, List.of(node),
                mode == LockdepMode.OFF ? null : held());
        throw new LockdepException(mode == LockdepMode.OFF ? f.report() : publish(f));
    }

    ValidatedWaitPoint own(WaitPoint waitPoint) {
        if (waitPoint instanceof ValidatedWaitPoint w && w.validator() == this) {
            return w;
        }
        throw new IllegalArgumentException(waitPoint + " does not belong to this validator");
    }

    // ---------------------------------------------------------------- mode

    public LockdepMode mode() {
        return mode;
    }

    public synchronized void setMode(LockdepMode newMode) {
        if (newMode == LockdepMode.OFF && mode != LockdepMode.OFF) {
            epoch++;
        }
        mode = newMode;
        gate = newMode == LockdepMode.OFF ? -1 : epoch;
    }

    // ---------------------------------------------------------------- the acquisition path

    HeldStack held() {
        HeldStack hs = stacks.get();
        int e = gate;
        if (e >= 0 && hs.epoch != e) {
            hs.reset(e);
        }
        return hs;
    }

    /**
     * Validates an acquisition of {@code lock} on top of {@code hs} and returns the chain record to push
     * once the lock is held. Throws in THROW mode, before the caller blocks.
     */
    ChainRecord beforeAcquire(HeldStack hs, Tracked lock, ClassRecord record, int subclass, int kind) {
        long id = record == null ? Acquire.UNREGISTERED_ID : Acquire.id(record.serial, subclass, kind);
        long key = ChainKeys.next(hs.topKey(), id);
        ChainRecord chain = chains.find(key);
        if (chain == null) {
            return validate(hs, lock, record, subclass, kind, id, key);
        }
        return chain.flagged ? knownProblem(chain) : chain;
    }

    /** A chain cached with a problem in WARN mode: THROW refuses it every time, as an uncached one. */
    private ChainRecord knownProblem(ChainRecord chain) {
        if (mode == LockdepMode.THROW) {
            throw new LockdepException(chain.report);
        }
        return chain;
    }

    private ChainRecord validate(HeldStack hs, Tracked lock, ClassRecord record, int subclass, int kind, long id,
            long key) {
        if (record != null && record.released) {
            ClassRecord again = lock.record(); // resolves the class anew: it may be registered again
            if (again != null) {
                return beforeAcquire(hs, lock, again, subclass, kind);
            }
        }
        List<Finding> findings = new ArrayList<>(1);
        ChainRecord chain;
        graphLock.lock();
        try {
            chain = chains.find(key);
            if (chain != null) {
                return chain;
            }
            if (record == null || record.released) {
                // Never cached: a class released for good would leave its chain behind for ever.
                findings.add(Findings.unregistered(hs, lock, kind));
                Site site = new Site(Thread.currentThread().getName(), Sites.capture());
                chain = new ChainRecord(hs.topKey(), Acquire.UNREGISTERED_ID, null, subclass, kind, NO_CLASSES,
                        site, findings.get(0).report());
            } else {
                boolean overUnregistered = hs.holdsUnregistered();
                Site site = overUnregistered
                        ? new Site(Thread.currentThread().getName(), Sites.capture())
                        : sites.here();
                checkSleep(hs, lock, record, kind, findings);
                checkRecursion(hs, lock, record, subclass, kind, findings);
                if ((kind & Acquire.NO_EDGE) == 0) {
                    addDependencies(hs, lock, record, subclass, kind, site, findings);
                }
                chain = new ChainRecord(hs.topKey(), id, record, subclass, kind, classesOf(hs, record), site,
                        findings.isEmpty() ? null : findings.get(0).report());
                // In THROW mode a problem chain stays uncached, so every retry throws again. A chain
                // over an unregistered lock stays uncached too, as that lock's own chain.
                if ((findings.isEmpty() || mode != LockdepMode.THROW) && !overUnregistered) {
                    chains.insert(chain);
                }
            }
        } finally {
            graphLock.unlock();
        }
        raise(findings);
        return chain;
    }

    /** A blocking acquisition (or wait) of a sleeping class while an atomic class is held. */
    private void checkSleep(HeldStack hs, Tracked lock, ClassRecord record, int kind, List<Finding> findings) {
        boolean blocks = (kind & Acquire.NO_EDGE) == 0;
        boolean sleeps = !record.atomic || (kind & Acquire.WAIT) != 0;
        if (blocks && sleeps && hs.atomic() > 0) {
            findings.add(Findings.sleepInAtomic(hs, Findings.describe(lock, kind) + " " + Findings.nodeName(lock)));
        }
    }

    private void checkRecursion(HeldStack hs, Tracked lock, ClassRecord record, int subclass, int kind,
            List<Finding> findings) {
        for (int i = 0; i < hs.depth; i++) {
            ChainRecord held = hs.chains[i];
            if (held.top != record || held.subclass != subclass) {
                continue;
            }
            boolean same = hs.locks[i] == lock;
            boolean upgrade = (kind & Acquire.UPGRADE) != 0 && same && held.shared();
            if (!upgrade) {
                if (same && Acquire.shared(kind) && (kind & Acquire.REENTRANT) != 0) {
                    continue; // reading again a lock this thread reads or writes: cannot block
                }
                if ((kind & Acquire.WORK) != 0 && (held.kind & Acquire.WORK) != 0) {
                    continue; // works do not wait for each other
                }
                if ((kind & Acquire.MODE) == Acquire.RECURSIVE_READ && held.shared()) {
                    continue; // a recursive reader is not blocked by readers
                }
                if (record.recursive && (kind & Acquire.UPGRADE) == 0) {
                    continue;
                }
            }
            findings.add(Findings.recursion(hs, lock, subclass, kind, i, same, upgrade));
            return;
        }
    }

    /**
     * Adds held -> new for the held locks it must come from: walking down from the top, every lock that
     * cannot carry the order on by itself (trylocks, re-entries, works, recursive reads), and the first
     * one that can, where the walk stops: the locks below it already lead to it (lockdep's
     * {@code check_prevs_add}).
     */
    private void addDependencies(HeldStack hs, Tracked lock, ClassRecord record, int subclass, int kind, Site site,
            List<Finding> findings) {
        int to = record.node(subclass);
        boolean recursiveReader = (kind & Acquire.MODE) == Acquire.RECURSIVE_READ;
        for (int i = hs.depth - 1; i >= 0; i--) {
            ChainRecord held = hs.chains[i];
            ClassRecord from = held.top;
            if (from == null || from.released || from == record && held.subclass == subclass) {
                continue;
            }
            int type = (held.shared() ? DependencyGraph.SN : DependencyGraph.EN) + (recursiveReader ? 1 : 0);
            List<DependencyGraph.Hop> cycle = graph.add(from.node(held.subclass), to, type, site);
            if (cycle != null) {
                findings.add(Findings.circular(classes, hs, lock, kind, cycle));
            }
            if ((held.kind & Acquire.NO_EDGE) == 0 && (held.kind & Acquire.MODE) != Acquire.RECURSIVE_READ) {
                return;
            }
        }
    }

    private static ClassRecord[] classesOf(HeldStack hs, ClassRecord top) {
        Set<ClassRecord> set = new LinkedHashSet<>();
        for (int i = 0; i < hs.depth; i++) {
            if (hs.chains[i].top != null) {
                set.add(hs.chains[i].top);
            }
        }
        set.add(top);
        return set.toArray(NO_CLASSES);
    }

    /** State kept across a condition wait: the lock's entries, and its validated re-acquisition. */
    final class Suspension {
        private final HeldStack hs;
        private final Tracked lock;
        private final ChainRecord again;
        private final ChainRecord[] removed;

        Suspension(HeldStack hs, Tracked lock, ChainRecord again, ChainRecord[] removed) {
            this.hs = hs;
            this.lock = lock;
            this.again = again;
            this.removed = removed;
        }

        void resume() {
            if (removed.length > 0) {
                hs.push(lock, again);
                for (int i = 1; i < removed.length; i++) {
                    hs.repush(lock, removed[i]);
                }
            }
        }
    }

    /** Before a condition wait on {@code lock}: see {@link ValidatedCondition}. */
    Suspension suspend(Tracked lock, ValidatedWaitPoint waitPoint) {
        HeldStack hs = held();
        HeldStack.Snapshot before = hs.snapshot();
        ChainRecord[] removed = hs.removeAll(lock);
        if (removed.length == 0) {
            return new Suspension(hs, lock, null, removed); // not held: the real await will say so
        }
        try {
            if (hs.atomic() > 0) {
                raise(List.of(Findings.sleepInAtomic(hs, "await a condition of " + Findings.nodeName(lock))));
            }
            if (waitPoint != null) {
                waitPoint.checkWait(hs);
            }
            ChainRecord again = beforeAcquire(hs, lock, lock.record(), lock.subclass(), Acquire.EXCLUSIVE);
            return new Suspension(hs, lock, again, removed);
        } catch (RuntimeException e) {
            hs.restore(before);
            throw e;
        }
    }

    // ---------------------------------------------------------------- other checks

    public void mightSleep() {
        if (mode == LockdepMode.OFF) {
            return;
        }
        HeldStack hs = held();
        if (hs.atomic() > 0) {
            raise(List.of(Findings.sleepInAtomic(hs, "call mightSleep()")));
        }
    }

    void badUnlock(Tracked lock, Thread owner) {
        String me = Thread.currentThread().getName();
        String summary = "thread \"" + me + "\" is trying to release " + Findings.nodeName(lock) + " but "
                + (owner == null || owner == Thread.currentThread()
                        ? "it does not hold it"
                        : "it is held by thread \"" + owner.getName() + "\"");
        raise(List.of(Findings.simple(Kind.BAD_UNLOCK, summary, List.of(Findings.node(lock)), held())));
    }

    void shadowMismatch(Tracked lock, String what) {
        raise(List.of(Findings.simple(Kind.SHADOW_MISMATCH, what, List.of(Findings.node(lock)), held())));
    }

    public void assertHeld(Object lock) {
        if (mode == LockdepMode.OFF) {
            return;
        }
        Tracked t = tracked(lock);
        if (!t.heldByCurrentThread()) {
            String summary = "thread \"" + Thread.currentThread().getName() + "\" must hold " + lock
                    + " here, but does not";
            raise(List.of(Findings.simple(Kind.NOT_HELD, summary, List.of(Findings.node(t)), held())));
        }
    }

    public void assertNoneHeld() {
        if (mode == LockdepMode.OFF) {
            return;
        }
        HeldStack hs = held();
        if (hs.depth == 0) {
            return;
        }
        List<LockNode> nodes = new ArrayList<>();
        boolean shadow = false;
        for (int i = 0; i < hs.depth; i++) {
            Tracked t = (Tracked) hs.locks[i];
            nodes.add(new LockNode(t.lockClass().name(), hs.chains[i].subclass));
            shadow |= t instanceof ValidatedShadowLock;
        }
        String summary = "thread \"" + Thread.currentThread().getName() + "\" still holds " + hs.depth
                + (hs.depth == 1 ? " lock" : " locks") + " where it must hold none"
                + (shadow ? "; a shadow lock still held means a path released its real lock without"
                        + " calling releasing()" : "");
        raise(List.of(Findings.simple(Kind.LOCKS_HELD, summary, nodes, hs)));
    }

    public List<HeldLock> heldLocks() {
        return mode == LockdepMode.OFF ? List.of() : Findings.heldLocks(held());
    }

    private Tracked tracked(Object lock) {
        if (lock instanceof Tracked t && t.validator() == this) {
            return t;
        }
        throw new IllegalArgumentException(lock + " is not a lock of this validator");
    }

    // ---------------------------------------------------------------- reports

    private void raise(List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        LockdepReport first = null;
        for (Finding f : findings) {
            LockdepReport r = publish(f);
            if (first == null) {
                first = r;
            }
        }
        if (mode == LockdepMode.THROW) {
            throw new LockdepException(first);
        }
    }

    private LockdepReport publish(Finding f) {
        return reports.publish(f.key(), f.report());
    }

    public List<LockdepReport> reports() {
        return reports.all();
    }

    public void addListener(Consumer<? super LockdepReport> listener) {
        reports.addListener(listener);
    }

    public void removeListener(Consumer<? super LockdepReport> listener) {
        reports.removeListener(listener);
    }

    /** The name of a graph node; its class is registered while the caller holds the graph lock. */
    private LockNode graphNode(int node) {
        return Findings.graphNode(classes, node);
    }

    // ---------------------------------------------------------------- the graph as data

    public LockdepStatus status() {
        int edges;
        int chainCount;
        graphLock.lock();
        try {
            edges = graph.edgeCount();
            chainCount = chains.size();
        } finally {
            graphLock.unlock();
        }
        return new LockdepStatus(mode, classes.size(), edges, chainCount, reports.size());
    }

    /** The recorded dependencies, one per type, sorted; only those touching {@code className} if not null. */
    public List<Dependency> dependencies(String className) {
        List<Dependency> list = new ArrayList<>();
        graphLock.lock();
        try {
            for (DependencyGraph.Edge e : graph.edges()) {
                LockNode from = graphNode(e.from);
                LockNode to = graphNode(e.to);
                if (className != null && !from.className().equals(className) && !to.className().equals(className)) {
                    continue;
                }
                for (int t = 0; t < 4; t++) {
                    if ((e.types & (1 << t)) != 0) {
                        Site s = e.sites[t];
                        list.add(new Dependency(from, to, DependencyType.values()[t], s.thread(), s.frames()));
                    }
                }
            }
        } finally {
            graphLock.unlock();
        }
        list.sort(Comparator.comparing((Dependency d) -> d.from().toString())
                .thenComparing(d -> d.to().toString())
                .thenComparing(Dependency::type));
        return list;
    }

    public String toDot(String className) {
        return DotWriter.write(dependencies(className), className);
    }

    /** Forgets every dependency, chain and report; classes, mode and listeners stay. */
    public void reset() {
        graphLock.lock();
        try {
            graph.clear();
            chains.clear();
            sites.clear();
        } finally {
            graphLock.unlock();
        }
        reports.clear();
    }

    /** Interned stacks; for tests that check that releases return memory. */
    int internedSites() {
        graphLock.lock();
        try {
            return sites.size();
        } finally {
            graphLock.unlock();
        }
    }

    /** Whether the graph is consistent; for tests. */
    boolean graphIsConsistent() {
        graphLock.lock();
        try {
            return graph.isConsistent();
        } finally {
            graphLock.unlock();
        }
    }

    /** Whether any thread holds the graph lock; for tests (it must never be left held). */
    boolean graphLockHeld() {
        return graphLock.isLocked();
    }
}
