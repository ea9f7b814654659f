package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.emul.EmulCommand;
import nvdimm.emul.FaultState;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final Lockdep lockdep = Fixtures.lockdep();
    private final Directory directory = new Directory(lockdep);

    @Test
    void namesAreUniqueAndFilesHaveOneUser() throws Exception {
        Path file = dir.resolve("a.img");
        directory.reserve("emul.a", Directory.Kind.CONFIGURED, List.of(file), 0);
        assertErrno(Errno.EEXIST, () -> directory.reserve("emul.a", Directory.Kind.IMAGE, List.of(), 0),
                "emul.a: a bus of that name is already configured");
        assertErrno(Errno.EBUSY, () -> directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(file), 0),
                "already in use by bus emul.a (configured)");
        // another spelling of the same file, before and after it exists
        Path spelled = dir.resolve("sub").resolve("..").resolve("a.img");
        assertErrno(Errno.EBUSY, () -> directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(spelled), 0));
        Files.createFile(file);
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        assertErrno(Errno.EBUSY, () -> directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(link.resolve("a.img")), 0));
        Directory.Entry b = directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(dir.resolve("b.img")), 0);
        directory.remove(b);
        directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(dir.resolve("b.img")), 0);
    }

    @Test
    void canonicalPathsResolveTheExistingPart() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("alias"), real);
        assertEquals(real.toRealPath().resolve("x/y.img"), Directory.canonical(link.resolve("x").resolve("y.img")));
        assertEquals(real.toRealPath(), Directory.canonical(link));
        assertEquals(Path.of("/").resolve("no-such-root-dir-here/f"), Directory.canonical(Path.of("/no-such-root-dir-here/f")));
    }

    @Test
    void addressWindowsAreDisjointAndReusedFirstFit() {
        Directory.Entry a = directory.reserve("emul.a", Directory.Kind.CONFIGURED, List.of(), 2 * GIB);
        Directory.Entry none = directory.reserve("emul.none", Directory.Kind.CONFIGURED, List.of(), 0);
        Directory.Entry b = directory.reserve("emul.b", Directory.Kind.IMAGE, List.of(), GIB);
        Directory.Entry c = directory.reserve("emul.c", Directory.Kind.IMAGE, List.of(), GIB);
        assertEquals(Directory.SPA_BASE, a.base);
        assertEquals(Directory.SPA_BASE + 2 * GIB, b.base);
        assertEquals(Directory.SPA_BASE + 3 * GIB, c.base);
        assertNotEquals(-1, none.base);
        directory.remove(a);
        Directory.Entry d = directory.reserve("emul.d", Directory.Kind.IMAGE, List.of(), GIB);
        assertEquals(Directory.SPA_BASE, d.base, "first fit in the hole a left");
        Directory.Entry e = directory.reserve("emul.e", Directory.Kind.IMAGE, List.of(), GIB);
        assertEquals(Directory.SPA_BASE + GIB, e.base);
        Directory.Entry f = directory.reserve("emul.f", Directory.Kind.IMAGE, List.of(), 2 * GIB);
        assertEquals(Directory.SPA_BASE + 4 * GIB, f.base, "too big for any hole");
    }

    private EmulBus memoryBus(String name) {
        return ConfiguredBus.open(ConfigParser.parse(Fixtures.cfg("nvdimm.emul~" + name,
                "dimms = 1\ndimm.size = 64K\nlabel.size = 0\nregions = 0\nbacking = memory")), null, 0, lockdep,
                System::nanoTime);
    }

    @Test
    void theFaultInjectorFindsRunningBusesByName() {
        assertErrno(Errno.ENODEV, () -> directory.failCommand("emul.x", EmulCommand.HEALTH, Errno.EIO, 1),
                "emul.x: no emulated bus of that name is running");
        Directory.Entry entry = directory.reserve("emul.x", Directory.Kind.CONFIGURED, List.of(), GIB);
        assertErrno(Errno.ENODEV, () -> directory.faults("emul.x"), "no emulated bus"); // reserved, not running yet
        assertEquals(List.of(), directory.providers());
        EmulBus bus = memoryBus("x");
        try {
            directory.opened(entry, bus, null);
            assertEquals(List.of("emul.x"), directory.providers());

            directory.failCommand("emul.x", EmulCommand.HEALTH, Errno.ENOMEM, 1);
            assertErrno(Errno.ENOMEM, () -> bus.commands().health(bus.dimms().getFirst()));
            directory.failFlush("emul.x", Errno.EIO, 2);
            directory.flushLatency("emul.x", Duration.ofMillis(3));
            directory.scrubDuration("emul.x", Duration.ofMillis(4));
            DimmHealth h = new DimmHealth("fatal", 0, 0, 100, "dirty");
            directory.setHealth("emul.x", 0, h);
            assertErrno(Errno.ENXIO, () -> directory.setHealth("emul.x", 0x101, h), "emul.x: no DIMM 0x101 on this bus");
            FaultState s = directory.faults("emul.x");
            assertEquals(new FaultState.Failure(Errno.EIO, 2), s.flush());
            assertEquals(Duration.ofMillis(3), s.flushLatency());
            assertEquals(Duration.ofMillis(4), s.scrubDuration());
            assertEquals(h, s.health().get(0));
            assertEquals(h, bus.commands().health(bus.dimms().getFirst()));
            directory.clear("emul.x");
            assertEquals(bus.faults().state(), directory.faults("emul.x"));
            assertEquals(Duration.ZERO, directory.faults("emul.x").flushLatency());
            directory.remove(entry);
            assertErrno(Errno.ENODEV, () -> directory.clear("emul.x"));
        } finally {
            bus.close();
        }
    }
}
