package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static nvdimm.emul.internal.Fixtures.cfg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nvdimm.bus.Errno;
import nvdimm.emul.EmulConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {

    private static final String PID = "nvdimm.emul~t";

    @Test
    void theDefaultConfigurationIsThreeDimmsAnInterleavedLabeledRegionAndALabelLessOne() {
        BusSpec spec = ConfigParser.parse(cfg("nvdimm.emul~default", EmulConfig.DEFAULT_CFG));
        assertEquals("emul.default", spec.provider());
        assertEquals("nvdimm.emul~default", spec.source());
        assertEquals(3, spec.dimms());
        assertEquals(256L << 20, spec.dimmSize());
        assertEquals(List.of(131072L, 131072L, 0L), spec.labelSizes());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0, 1), 4096), new BusSpec.RegionSpec(List.of(2), 0)),
                spec.regions());
        assertFalse(spec.memory());
        assertEquals(4096, spec.maxTransfer());
    }

    @Test
    void anEmptyConfigurationTakesTheDefaults() {
        BusSpec spec = ConfigParser.parse(cfg(PID, ""));
        assertEquals(3, spec.dimms());
        assertEquals(256L << 20, spec.dimmSize());
        assertEquals(List.of(131072L, 131072L, 131072L), spec.labelSizes());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0), 0), new BusSpec.RegionSpec(List.of(1), 0),
                new BusSpec.RegionSpec(List.of(2), 0)), spec.regions());
        assertFalse(spec.memory());
    }

    /** Every key is optional, so the defaults of the other keys fit whatever DIMM count is given. */
    @ParameterizedTest(name = "dimms = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 64})
    void theDefaultsFitAnyDimmCount(int dimms) {
        BusSpec spec = ConfigParser.parse(cfg(PID, "dimms = " + dimms));
        assertEquals(dimms, spec.dimms());
        assertEquals(java.util.Collections.nCopies(dimms, 131072L), spec.labelSizes());
        assertEquals(dimms, spec.regions().size());
        for (int i = 0; i < dimms; i++) {
            assertEquals(new BusSpec.RegionSpec(List.of(i), 0), spec.regions().get(i));
        }
        // per-DIMM label sizes that mix labeled and label-less DIMMs still fit the default regions
        BusSpec mixed = ConfigParser.parse(cfg(PID, "dimms = 2\nlabel.size = 0,128K"));
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0), 0), new BusSpec.RegionSpec(List.of(1), 0)),
                mixed.regions());
    }

    /** The example in the README's "Emulated buses" section, comments and all, is accepted. */
    @Test
    void theReadmeExampleIsAccepted() {
        BusSpec spec = ConfigParser.parse(cfg(PID, """
                dimms = 4
                dimm.size = 1G
                label.size = 256K
                regions = 0+1+2+3:8K
                backing = file
                """));
        assertEquals(4, spec.dimms());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0, 1, 2, 3), 8192)), spec.regions());
    }

    @Test
    void readsEveryProperty() {
        BusSpec spec = ConfigParser.parse(cfg(PID, """
                name = 0
                dimms = 4
                dimm.size = 1048576
                label.size = 256K
                regions = 3+1+0+2:8K
                backing = Memory
                label.max.transfer = 512
                """));
        assertEquals("emul.0", spec.provider());
        assertEquals(4, spec.dimms());
        assertEquals(1 << 20, spec.dimmSize());
        assertEquals(List.of(262144L, 262144L, 262144L, 262144L), spec.labelSizes());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(3, 1, 0, 2), 8192)), spec.regions());
        assertTrue(spec.memory());
        assertEquals(512, spec.maxTransfer());
    }

    @Test
    void acceptsTypedValues() {
        Map<String, Object> typed = new HashMap<>(cfg(PID, ""));
        typed.put(EmulConfig.DIMMS, 2);
        typed.put(EmulConfig.DIMM_SIZE, 8192L);
        typed.put(EmulConfig.LABEL_SIZE, new long[] {0, 131072});
        typed.put(EmulConfig.REGIONS, List.of("0", "1"));
        typed.put(EmulConfig.LABEL_MAX_TRANSFER, 100L);
        BusSpec spec = ConfigParser.parse(typed);
        assertEquals(8192, spec.dimmSize());
        assertEquals(List.of(0L, 131072L), spec.labelSizes());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0), 0), new BusSpec.RegionSpec(List.of(1), 0)),
                spec.regions());
        assertEquals(100, spec.maxTransfer());
    }

    @Test
    void regionsMayBeEmptyAndDimmsMayStayOutOfRegions() {
        assertEquals(List.of(), ConfigParser.parse(cfg(PID, "regions =")).regions());
        BusSpec spec = ConfigParser.parse(cfg(PID, "regions = 2"));
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(2), 0)), spec.regions());
        assertEquals(List.of(new BusSpec.RegionSpec(List.of(0, 1), 4096)),
                ConfigParser.parse(cfg(PID, "regions = 0+1\nlabel.size=0")).regions());
    }

    @Test
    void theBusNameComesFromThePidUnlessGiven() {
        assertEquals("default", ConfigParser.configName("nvdimm.emul~default"));
        assertEquals("3f2a", ConfigParser.configName("nvdimm.emul.3f2a"));
        assertEquals("other", ConfigParser.configName("other"));
        assertNull(ConfigParser.configName(null));
        assertEquals("emul.x", ConfigParser.parse(cfg("nvdimm.emul~x", "")).provider());
        assertEquals("emul.y", ConfigParser.parse(cfg("nvdimm.emul~x", "name = y")).provider());
        assertEquals("emul.x", ConfigParser.parse(cfg("nvdimm.emul~x", "name =  ")).provider());
        Map<String, Object> noPid = new HashMap<>(cfg(PID, ""));
        noPid.remove("service.pid");
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(noPid), "nvdimm.emul: name: cannot derive a bus name");
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(cfg("nvdimm.emul~a/b", "")), "cannot derive");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            dimms              | 0                 | dimms: must be 1 to 64, not 0
            dimms              | 65                | dimms: must be 1 to 64, not 65
            dimms              | three             | dimms: 'three' is not a whole number
            dimm.size          | 0                 | dimm.size: 0 is not a positive multiple of 4096
            dimm.size          | 5000              | dimm.size: 5000 is not a positive multiple of 4096
            dimm.size          | big               | dimm.size: 'big' is not a size
            label.size         | 4K                | label.size: DIMM 0: 4K is neither 0 (no labels) nor at least 128K
            label.size         | 131071            | label.size: DIMM 0: 131071 is neither 0
            label.size         | 128K,0            | label.size: 2 values for 3 DIMMs
            label.size         | 128K,128K,1       | label.size: DIMM 2: 1 is neither
            label.size         | 9223372036854775807 | label.size: DIMM 0: 9223372036854775807 is too large
            regions            | 0+1:4096,3        | regions: region 1 ('3'): DIMM 3 is out of range 0..2
            regions            | 0+1,1+2           | regions: region 1 ('1+2'): DIMM 1 is already in region 0
            regions            | 0+0               | regions: region 0 ('0+0'): DIMM 0 appears twice
            regions            | 0+x               | regions: region 0 ('0+x'): 'x' is not a DIMM index
            regions            | 0+                | regions: region 0 ('0+'): '' is not a DIMM index
            regions            | 0+1,,2            | regions: region 1 (''): not DIMMs joined by '+'
            regions            | 0+1:4096:1        | regions: region 0 ('0+1:4096:1'): not DIMMs joined
            regions            | 2:4096            | regions: region 0 ('2:4096'): a granularity needs two or more DIMMs
            regions            | 0+1:2048          | regions: region 0 ('0+1:2048'): granularity 2K is not a power of two of at least 4096
            regions            | 0+1:12K           | granularity 12K is not a power of two
            regions            | 0+1:1G            | dimm.size 256M is not a multiple of the granularity 1G
            regions            | 0+1:x             | regions: 'x' is not a size
            regions            | 1+2               | regions: region 0 ('1+2'): mixes DIMMs with a label area and without one (label.size of DIMM 1 is 131072, of DIMM 2 0)
            backing            | disk              | backing: 'disk' is neither file nor memory
            label.max.transfer | 0                 | label.max.transfer: must be 1 to 1048576, not 0
            label.max.transfer | 1048577           | label.max.transfer: must be 1 to 1048576, not 1048577
            name               | a/b               | name: 'a/b' is not a name
            name               | .hidden           | name: '.hidden' is not a name
            dimm.sise          | 1M                | dimm.sise: unknown property; the properties are backing, dimm.size, dimms, label.max.transfer, label.size, name, regions
            labels             | 0                 | labels: unknown property
            """)
    void refusesABadConfigurationNamingItAndTheProblem(String key, String value, String problem) {
        Map<String, Object> config = cfg(PID, EmulConfig.DEFAULT_CFG);
        config.put(key, value);
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(config), PID + ": ", problem);
    }

    @Test
    void refusesNegativeAndOversizedTypedValues() {
        Map<String, Object> config = cfg(PID, "");
        config.put(EmulConfig.DIMM_SIZE, -4096L);
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(config), "dimm.size: -4096 is negative");
        config.put(EmulConfig.DIMM_SIZE, 4096L);
        config.put(EmulConfig.DIMMS, 1L << 40);
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(config), "dimms: must be 1 to 64");
        config.put(EmulConfig.DIMMS, 1);
        config.put(EmulConfig.DIMM_SIZE, 1.5);
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(config), "dimm.size: '1.5' is");
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        assertEquals(64, ConfigParser.parse(cfg(PID, "dimms = 64\nlabel.size = 0\nregions = 63")).dimms());
        assertEquals(1, ConfigParser.parse(cfg(PID, "label.max.transfer = 1")).maxTransfer());
        assertEquals(1048576, ConfigParser.parse(cfg(PID, "label.max.transfer = 1048576")).maxTransfer());
        assertEquals(List.of(Long.MAX_VALUE - 4096), ConfigParser.parse(cfg(PID,
                "dimms = 1\ndimm.size = 4096\nregions = 0\nlabel.size = " + (Long.MAX_VALUE - 4096))).labelSizes());
        assertEquals("x", ConfigParser.configName("~x"));
        Map<String, Object> zero = cfg(PID, "");
        zero.put(EmulConfig.DIMM_SIZE, 0L);
        assertErrno(Errno.EINVAL, () -> ConfigParser.parse(zero), "dimm.size: 0 is not a positive multiple of 4096");
    }

    @Test
    void ignoresFrameworkProperties() {
        Map<String, Object> config = cfg(PID, "");
        config.put("felix.fileinstall.filename", "file:/data/etc/nvdimm.emul-t.cfg");
        config.put("webconsole.configurationFactory.nameHint", "x");
        assertEquals("emul.t", ConfigParser.parse(config).provider());
    }
}
