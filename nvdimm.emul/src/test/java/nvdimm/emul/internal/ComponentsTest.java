package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static nvdimm.emul.internal.Fixtures.cfg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.emul.AttachedImage;
import nvdimm.emul.EmulConfig;
import nvdimm.emul.LabelSize;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentsTest {

    private static final String SMALL = "dimms = 3\ndimm.size = 1M\nlabel.size = 128K,128K,0\nregions = 0+1:4096,2";

    @TempDir
    Path data;

    private final Lockdep lockdep = Fixtures.lockdep();
    private final Directory directory = new Directory(lockdep);
    private final Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();

    private ConfiguredBusComponent activate(String pid, String text) {
        return new ConfiguredBusComponent(lockdep, directory, publisher, data, cfg(pid, text));
    }

    private long filesUnderData() throws Exception {
        try (Stream<Path> s = Files.walk(data)) {
            return s.count() - 1;
        }
    }

    @Test
    void activationPublishesTheBusAndDeactivationTakesItDown() {
        ConfiguredBusComponent c = activate("nvdimm.emul~default", SMALL);
        EmulBus bus = c.bus();
        assertEquals(List.of("publish emul.default CONFIGURED"), publisher.log);
        assertSame(bus, publisher.live.getFirst());
        assertEquals(List.of("emul.default"), directory.providers());
        Medium region = bus.regions().getFirst().medium();
        c.deactivate();
        assertEquals(List.of("publish emul.default CONFIGURED", "unpublish emul.default"), publisher.log);
        assertErrno(Errno.ENXIO, () -> region.readLong(0));
        assertErrno(Errno.ENXIO, () -> bus.emulDimms().getFirst().medium().readLong(0), "closed");
        assertEquals(List.of(), directory.providers());
        activate("nvdimm.emul~default", SMALL).deactivate(); // name and files are free again
    }

    @Test
    void aNewComponentOnTheSameFilesSeesTheSameBytes() {
        ConfiguredBusComponent first = activate("nvdimm.emul~default", SMALL);
        byte[] data = "state lives on the media".getBytes();
        first.bus().regions().getFirst().medium().write(4090, data);
        first.bus().commands().writeLabelArea(first.bus().dimms().get(1), 0, data, 0, data.length);
        first.deactivate();

        ConfiguredBusComponent second = activate("nvdimm.emul~default", SMALL);
        byte[] back = new byte[data.length];
        second.bus().regions().getFirst().medium().read(4090, back);
        assertArrayEquals(data, back);
        second.bus().commands().readLabelArea(second.bus().dimms().get(1), 0, back, 0, back.length);
        assertArrayEquals(data, back);
        second.deactivate();
    }

    @Test
    void aBadConfigurationFailsActivationAndLeavesNoTrace() throws Exception {
        assertErrno(Errno.EINVAL, () -> activate("nvdimm.emul~bad", "dimms = 0"), "nvdimm.emul~bad: dimms: must be 1 to 64");
        assertErrno(Errno.EINVAL, () -> activate("nvdimm.emul~bad", "dimms = 2\nlabel.size = 0\nregions = 0+1+2"),
                "DIMM 2 is out of range 0..1");
        assertErrno(Errno.EINVAL, () -> activate("nvdimm.emul~bad", "label.size = 4K"), "at least 128K");
        assertEquals(0, filesUnderData());
        assertEquals(List.of(), publisher.log);
        assertEquals(List.of(), directory.providers());
    }

    @Test
    void eachBusGetsItsOwnWindowOfAddressSpace() {
        ConfiguredBusComponent a = activate("nvdimm.emul~a", "dimms = 4\ndimm.size = 512M\nlabel.size = 0\n"
                + "regions = 0+1+2,3\nbacking = file");
        ConfiguredBusComponent b = activate("nvdimm.emul~b", SMALL);
        List<Long> aRegions = a.bus().regions().stream().map(r -> r.address()).toList();
        assertEquals(List.of(Directory.SPA_BASE, Directory.SPA_BASE + (2L << 30)), aRegions);
        assertEquals(Directory.SPA_BASE + (3L << 30), b.bus().regions().getFirst().address(),
                "after a's 1.5 GiB region and its 512 MiB one, each in whole GiBs");
        a.deactivate();
        b.deactivate();
    }

    @Test
    void twoConfigurationsCannotShareAName() throws Exception {
        ConfiguredBusComponent first = activate("nvdimm.emul~a", SMALL + "\nname = same");
        assertErrno(Errno.EEXIST, () -> activate("nvdimm.emul~b", SMALL + "\nname = same"),
                "emul.same: a bus of that name is already configured");
        assertEquals(3, first.bus().dimms().size());
        assertEquals(List.of("emul.same"), directory.providers());
        first.deactivate();
    }

    @Test
    void fileBackingNeedsTheDataDirectory() {
        assertErrno(Errno.EINVAL, () -> new ConfiguredBusComponent(lockdep, directory, publisher, null,
                cfg("nvdimm.emul~d", SMALL)), "nvdimm.emul~d: the framework property nvdimm.data is not set");
        ConfiguredBusComponent memory = new ConfiguredBusComponent(lockdep, directory, publisher, null,
                cfg("nvdimm.emul~d", SMALL + "\nbacking = memory"));
        assertEquals(3, memory.bus().dimms().size());
        memory.deactivate();
    }

    @Test
    void aFailedRegistrationUndoesTheActivation() throws Exception {
        publisher.failNext = new IllegalStateException("bundle stopping");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> activate("nvdimm.emul~p", SMALL));
        assertEquals("bundle stopping", e.getMessage());
        assertEquals(List.of(), directory.providers());
        EmulBus undone = publisher.offered.getFirst();
        assertErrno(Errno.ENXIO, () -> undone.emulDimms().getFirst().medium().readLong(0), "closed");
        assertFalse(Fixtures.mapped(data.resolve("media/emul.p/dimm0.img")));
        activate("nvdimm.emul~p", SMALL).deactivate();
    }

    @Test
    void theDeclarativeServicesConstructorUsesTheFrameworkPropertyAndRegistersABusProvider() {
        FakeContext fake = new FakeContext();
        fake.properties.put(EmulConfig.DATA_DIR_PROPERTY, data.toString());
        ConfiguredBusComponent c = new ConfiguredBusComponent(lockdep, directory, fake.context(),
                cfg("nvdimm.emul~default", SMALL));
        assertTrue(Files.isRegularFile(data.resolve("media/emul.default/dimm2.img")));
        FakeContext.Registration r = fake.live().getFirst();
        assertEquals(BusProvider.class, r.type);
        assertSame(c.bus(), r.service);
        assertEquals(Map.of(EmulConfig.PROVIDER_PROPERTY, "emul.default", FrameworkPublisher.KIND_PROPERTY, "configured"),
                r.properties);
        c.deactivate();
        assertEquals(List.of(), fake.live());

    }

    /** A refused configuration is a user's mistake: one log line naming it and the problem, no stack trace, no bus. */
    @Test
    void theDeclarativeServicesConstructorFailsTheActivationNamingTheProblemAndRegistersNothing() {
        FakeContext fake = new FakeContext();
        fake.properties.put(EmulConfig.DATA_DIR_PROPERTY, " ");
        NvdimmException e = assertThrows(NvdimmException.class, () -> new ConfiguredBusComponent(lockdep, directory,
                fake.context(), cfg("nvdimm.emul~default", SMALL)));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("nvdimm.emul~default: the framework property nvdimm.data is not set"),
                e.getMessage());
        assertEquals(List.of(), fake.live());
        assertEquals(List.of(), directory.providers());
    }

    @Test
    void unregisteringTwiceIsHarmless() {
        FakeContext fake = new FakeContext();
        EmulBus bus = ConfiguredBus.open(ConfigParser.parse(cfg("nvdimm.emul~u", SMALL + "\nbacking=memory")), null, 0,
                lockdep, System::nanoTime);
        Runnable unpublish = new FrameworkPublisher(fake.context()).publish(bus, Directory.Kind.IMAGE);
        assertEquals("image", fake.live().getFirst().properties.get(FrameworkPublisher.KIND_PROPERTY));
        unpublish.run();
        unpublish.run();
        assertEquals(List.of(), fake.live());
        bus.close();
    }

    @Test
    void theImageAttacherServiceDelegatesAndDetachesEverythingWhenItGoes() throws Exception {
        FakeContext fake = new FakeContext();
        ImageAttacherComponent attacher = new ImageAttacherComponent(lockdep, directory, fake.context());
        Path file = data.resolve("guest.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        AttachedImage a = attacher.attach(file, LabelSize.NONE, null, 0);
        assertEquals("emul.guest", a.provider());
        assertEquals(List.of(a), attacher.attached());
        assertEquals("image", fake.live().getFirst().properties.get(FrameworkPublisher.KIND_PROPERTY));
        assertEquals(a, attacher.detach("guest"));
        assertEquals(List.of(), fake.live());
        attacher.attach(file, LabelSize.NONE, "again", 1);
        attacher.deactivate();
        assertEquals(List.of(), fake.live());
        assertEquals(List.of(), attacher.attached());
        assertErrno(Errno.ENODEV, () -> attacher.attach(file, LabelSize.NONE, null, 0));
    }

    @Test
    void aFailingFinalSyncIsReportedAfterTheBusIsDown() throws Exception {
        CountingMedium medium = new CountingMedium("m", 1 << 20);
        EmulDimm dimm = new EmulDimm(Identity.qemu(0, 1 << 20, 0), medium, 1 << 20, null, lockdep);
        EmulBus bus = new EmulBus("emul.s", List.of(dimm), List.of(new EmulBus.RegionPlan(List.of(0), 0)), 0, 4076,
                lockdep, System::nanoTime);
        medium.syncFailure = new NvdimmException(Errno.EIO, "m: write-back failed");
        assertErrno(Errno.EIO, bus::close, "write-back failed");
        assertEquals(1, medium.closes.get(), "closed anyway");
    }
}
