package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

import org.junit.jupiter.api.function.Executable;

/** Shared test helpers: a validator that throws, a fake clock, a recording publisher, config maps. */
final class Fixtures {

    private Fixtures() {
    }

    /** A fresh validator in THROW mode with this bundle's classes registered. */
    static Lockdep lockdep() {
        return Locks.register(new Lockdep(LockdepMode.THROW));
    }

    /** Asserts the call fails with {@code errno} and a message containing every fragment. */
    static NvdimmException assertErrno(Errno errno, Executable call, String... fragments) {
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
        return e;
    }

    /** A configuration as FileInstall would hand it over from a .cfg file of that text. */
    static Map<String, Object> cfg(String pid, String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, Object> map = new HashMap<>();
        p.forEach((k, v) -> map.put((String) k, v));
        map.put("service.pid", pid);
        map.put("service.factoryPid", "nvdimm.emul");
        map.put("component.name", "nvdimm.emul");
        map.put("component.id", 7L);
        return map;
    }

    /** Whether this process maps {@code file} now (Linux: an entry of /proc/self/maps names it). */
    static boolean mapped(java.nio.file.Path file) throws IOException {
        String real = file.toRealPath().toString();
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                .anyMatch(line -> line.endsWith(" " + real));
    }

    /** A clock the test moves. */
    static final class Clock {
        final AtomicLong now = new AtomicLong(1_000_000_000L);

        long nanoTime() {
            return now.get();
        }

        void advanceMillis(long ms) {
            now.addAndGet(ms * 1_000_000L);
        }
    }

    /** Records what is published and unpublished. */
    static final class RecordingPublisher implements Publisher {
        final List<EmulBus> live = new CopyOnWriteArrayList<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        /** Every bus offered, published or not. */
        final List<EmulBus> offered = new CopyOnWriteArrayList<>();
        volatile RuntimeException failNext;

        @Override
        public Runnable publish(EmulBus bus, Directory.Kind kind) {
            offered.add(bus);
            if (failNext != null) {
                RuntimeException e = failNext;
                failNext = null;
                throw e;
            }
            live.add(bus);
            log.add("publish " + bus.name() + " " + kind);
            return () -> {
                if (live.remove(bus)) {
                    log.add("unpublish " + bus.name());
                }
            };
        }
    }
}
