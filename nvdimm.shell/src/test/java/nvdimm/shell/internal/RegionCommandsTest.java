package nvdimm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.UsageError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionCommandsTest {

    private final nvdimm.shell.internal.ndctl.TestBusAccess bus = new nvdimm.shell.internal.ndctl.TestBusAccess();
    private final RegionCommands commands = new RegionCommands(bus.core(), bus.regions());

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void flushAndDeepFlush() throws Exception {
        assertNull(commands._main(null, new String[] {"flush", "region0"}));
        assertEquals("1", commands._main(null, new String[] {"nvdimm:deep-flush", "region1"}));
        assertNull(commands._main(null, new String[] {"deep-flush", "region1", "1"}));
        UsageError bad = assertThrows(UsageError.class,
                () -> commands._main(null, new String[] {"deep-flush", "region1", "maybe"}));
        assertEquals("nvdimm deep-flush: deep_flush takes 1 or true (a flush), not 'maybe'", bad.getMessage());
    }

    @Test
    void theProvidersFlushErrnoReachesTheCallerUnchanged() {
        bus.failFlush(Errno.ENOMEM);
        NvdimmException flush = assertThrows(NvdimmException.class,
                () -> commands._main(null, new String[] {"flush", "region1"}));
        assertEquals(Errno.ENOMEM, flush.errno());
        NvdimmException deep = assertThrows(NvdimmException.class,
                () -> commands._main(null, new String[] {"deep-flush", "region1", "true"}));
        assertEquals(Errno.ENOMEM, deep.errno());
    }

    @Test
    void unknownAndDisabledRegionsAreNamed() throws Exception {
        NvdimmException unknown = assertThrows(NvdimmException.class,
                () -> commands._main(null, new String[] {"flush", "region9"}));
        assertEquals(Errno.ENODEV, unknown.errno());
        bus.core().disable(bus.core().find("region0").orElseThrow());
        NvdimmException disabled = assertThrows(NvdimmException.class,
                () -> commands._main(null, new String[] {"flush", "region0"}));
        assertEquals(Errno.ENXIO, disabled.errno());
        assertEquals("region0: the region is disabled (ENXIO)", disabled.getMessage());
    }
}
