package nvdimm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.Lock;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import org.junit.jupiter.api.Test;

class LockdepCommandsTest {

    private static final LockClass A = LockClass.of("test.a");
    private static final LockClass B = LockClass.of("test.b");

    private final Lockdep lockdep = new Lockdep(LockdepMode.WARN);
    private final LockdepCommands commands = new LockdepCommands(lockdep);

    /** Takes A then B, then B then A: the ABBA the validator reports. */
    private void abba() {
        lockdep.register(A, B);
        Lock a = lockdep.newMutex(A);
        Lock b = lockdep.newMutex(B);
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
        b.lock();
        a.lock();
        a.unlock();
        b.unlock();
    }

    @Test
    void aCleanValidator() {
        assertEquals("no reports", commands.reports());
        assertEquals("no dependencies", commands.graph(false));
        assertEquals("warn", commands.mode());
        assertTrue(commands.status().toString().startsWith("mode warn, 0 classes, 0 dependencies"),
                commands.status().toString());
    }

    @Test
    void reportsAndGraphShowAnAbba() {
        abba();
        assertEquals(1, commands.status().reports());
        assertTrue(commands.reports().contains("possible circular locking dependency detected"), commands.reports());
        String graph = commands.graph(false);
        assertTrue(graph.contains("test.a") && graph.contains("test.b"), graph);
        assertTrue(commands.graph(true).startsWith("digraph"), commands.graph(true));
        assertTrue(commands.graph(true, "test.a").contains("test.a"), commands.graph(true, "test.a"));
        assertTrue(commands.graph(false, "test.a").contains("test.b"), commands.graph(false, "test.a"));
        assertEquals("no dependencies of class nowhere", commands.graph(false, "nowhere"));
    }

    @Test
    void resetForgetsDependenciesAndReports() {
        abba();
        String text = commands.reset();
        assertTrue(text.startsWith("lockdep: reset; mode warn, 2 classes, 0 dependencies, 0 chains, 0 reports"), text);
        assertEquals("no reports", commands.reports());
    }

    @Test
    void modeChangesAndBadModesAreRefused() {
        assertEquals("throw", commands.mode("THROW"));
        assertEquals(LockdepMode.THROW, lockdep.mode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.mode("loud"));
        assertEquals("lockdep mode must be off, warn or throw, not 'loud'", e.getMessage());
        assertEquals(LockdepMode.THROW, lockdep.mode(), "a refused mode changes nothing");
    }
}
