package nvdimm.shell.internal.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.UsageError;
import nvdimm.virtio.VirtioFault;
import nvdimm.virtio.VirtioPmem;
import nvdimm.virtio.VirtioStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtioCommandsTest {

    /** A device that records what the commands ask of it. */
    static final class FakeDevice implements VirtioPmem {
        final String name;
        final List<String> calls = new ArrayList<>();

        FakeDevice(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public VirtioStatus status() {
            return new VirtioStatus(name, Path.of("/data/" + name + ".img"), 64L << 20, 128, 1, 0, false, 1152, 1151,
                    10, 8, 1, 3, 1, List.of("silent"));
        }

        @Override
        public void inject(VirtioFault fault, long millis, int count) {
            calls.add(fault + " " + millis + " " + count);
        }

        @Override
        public void clear() {
            calls.add("clear");
        }
    }

    private final VirtioCommands commands = new VirtioCommands();
    private final FakeDevice vp0 = new FakeDevice("vp0");
    private final FakeDevice vp1 = new FakeDevice("vp1");

    {
        commands.addDevice(vp1);
        commands.addDevice(vp0);
    }

    private Object run(String... argv) throws Exception {
        return commands._main(null, argv);
    }

    @Test
    void statusListsEveryDeviceByNameOrOneDevice() throws Exception {
        String all = (String) run("status");
        assertTrue(all.indexOf("\"vp0\"") < all.indexOf("\"vp1\""), all);
        String one = (String) run("status", "vp1");
        assertTrue(one.contains("\"dev\":\"vp1\"") || one.contains("\"dev\" : \"vp1\""), one);
        for (String key : List.of("queue_size", "in_flight", "waiters", "broken", "pooled_requests", "flushes",
                "host_forces", "faults")) {
            assertTrue(one.contains("\"" + key + "\""), key + " in " + one);
        }
        commands.removeDevice(vp0);
        commands.removeDevice(vp1);
        assertEquals("[ ]", ((String) run("status")).strip().replaceAll("\\s+", " "));
    }

    @Test
    void injectPassesTheFaultItsDurationAndCount() throws Exception {
        run("inject", "vp0", "fail-flush", "--count", "3");
        run("inject", "vp0", "delay", "250");
        run("inject", "vp0", "kick-fail");
        run("inject", "vp0", "break");
        run("inject", "vp0", "late", "5");
        run("inject", "vp0", "silent");
        run("clear", "vp0");
        assertEquals(List.of("fail-flush 0 3", "delay 250 1", "kick-fail 0 1", "break 0 1", "late 5 1", "silent 0 1",
                "clear"), vp0.calls);
        assertEquals(List.of(), vp1.calls);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "inject vp0                     |give a fault",
        "inject                         |give a virtio device name and a fault",
        "inject vp0 melt                |unknown virtio fault 'melt'",
        "inject vp0 delay               |delay needs a duration in milliseconds",
        "inject vp0 delay soon          |delay duration 'soon' is not a whole number",
        "inject vp0 late -5             |late duration must not be negative",
        "inject vp0 break now           |break takes no value",
        "inject vp0 silent --count 2    |--count goes with fail-flush or kick-fail, not silent",
        "inject vp0 fail-flush --count 0|count must be 1 to",
        "inject vp0 fail-flush --count x|count 'x' is not a whole number",
        "clear                          |give a virtio device name",
        "clear vp0 vp1                  |too many arguments",
        "status vp0 vp1                 |give at most one device",
        "inject vp0 fail-flush --bogus  |",
    })
    void badInputIsAUsageErrorNamingTheProblemAndChangesNothing(String line, String expected) {
        UsageError e = assertThrows(UsageError.class, () -> run(line.strip().split("\\s+")));
        assertTrue(e.getMessage().startsWith("virtio " + line.strip().split(" ")[0] + ": "), e.getMessage());
        if (expected != null) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
        assertEquals(List.of(), vp0.calls);
    }

    @Test
    void anUnknownDeviceIsEnodevNamingItAndTheDevicesThereAre() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("clear", "vp9"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().startsWith("vp9: no such virtio-pmem device; the devices are vp0, vp1"),
                e.getMessage());
        assertThrows(NvdimmException.class, () -> run("inject", "vp9", "break"));
        assertThrows(NvdimmException.class, () -> run("status", "vp9"));
        commands.removeDevice(vp0);
        commands.removeDevice(vp1);
        assertTrue(assertThrows(NvdimmException.class, () -> run("clear", "vp0")).getMessage()
                .contains("there are no virtio-pmem devices"));
    }
}
