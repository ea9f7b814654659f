package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.shell.internal.cli.UsageError;
import org.junit.jupiter.api.Test;

/** {@code list -N} and its combinations, nested as ndctl's list.c nests them. */
class ListNamespacesTest extends NamespaceTestBase {

    private void create(String... extra) throws Exception {
        String[] argv = new String[extra.length + 1];
        argv[0] = "create-namespace";
        System.arraycopy(extra, 0, argv, 1, extra.length);
        run(argv);
    }

    @Test
    void namespacesAreTheDefaultClassAndAFlatArray() throws Exception {
        create("-s", "256k", "-n", "hello");
        String listed = (String) run("list");
        assertEquals(listed, run("list", "-N"));
        assertTrue(listed.startsWith("[\n  {\n    \"dev\":\"namespace0.0\",\n    \"mode\":\"raw\",\n    \"size\":262144,"),
                listed);
        assertTrue(listed.contains("\"name\":\"hello\"") && listed.contains("\"dev\":\"namespace1.0\""), listed);
        assertTrue(!listed.contains("namespace0.1"), "the new seed is idle, shown only with -i: " + listed);
    }

    @Test
    void idleShowsSeedsAndDisabledNamespaces() throws Exception {
        create("-s", "256k");
        run("disable-namespace", "namespace0.0");
        String plain = (String) run("list", "-N");
        assertTrue(!plain.contains("namespace0.0") && !plain.contains("namespace0.1"), plain);
        String idle = (String) run("list", "-Ni");
        assertTrue(idle.contains("\"dev\":\"namespace0.1\",\n    \"mode\":\"raw\",\n    \"size\":0,\n"
                + "    \"uuid\":\"00000000-0000-0000-0000-000000000000\",\n    \"sector_size\":512,\n"
                + "    \"state\":\"disabled\""), idle);
        String configured = (String) run("list", "-Nc");
        assertTrue(configured.contains("namespace0.0") && !configured.contains("namespace0.1"),
                "-c: disabled ones with capacity, no seeds: " + configured);
    }

    @Test
    void regionsWithNamespacesPrintAnObjectOfRegionsAsNdctlDoes() throws Exception {
        create("-s", "256k");
        String rn = (String) run("list", "-RN");
        assertTrue(rn.startsWith("{\n  \"regions\":[\n    {\n      \"dev\":\"region0\""), rn);
        assertTrue(rn.contains("\"persistence_domain\":\"memory_controller\",\n      \"namespaces\":[\n        {\n"
                + "          \"dev\":\"namespace0.0\""), "namespaces after the region's keys: " + rn);
        assertTrue(!rn.contains("\n  \"namespaces\""), "never repeated beside the regions: " + rn);
        String regionsOnly = (String) run("list", "-R");
        assertTrue(regionsOnly.startsWith("[") && !regionsOnly.contains("namespaces"), regionsOnly);
    }

    @Test
    void busesNestRegionsAndRegionsNestNamespaces() throws Exception {
        create("-s", "256k");
        String brn = (String) run("list", "-BRN");
        assertTrue(brn.startsWith("[\n  {\n    \"provider\":\"test.0\""), brn);
        assertTrue(brn.contains("\"regions\":[") && brn.indexOf("\"namespaces\":[") > brn.indexOf("\"regions\":["), brn);
        String bdrn = (String) run("list", "-BDRN");
        assertTrue(bdrn.contains("\"dimms\":[") && bdrn.contains("\"mappings\":[") && bdrn.contains("\"namespaces\":["),
                bdrn);
        String bn = (String) run("list", "-BN");
        assertTrue(bn.contains("\"scrub_state\":\"idle\",\n    \"namespaces\":[") && !bn.contains("\"regions\""),
                "without regions, namespaces nest in their bus: " + bn);
    }

    @Test
    void filtersByNamespaceModeAndRegion() throws Exception {
        create("-s", "256k");
        create("-s", "16m", "-m", "sector");
        String one = (String) run("list", "-n", "namespace0.1");
        assertTrue(one.contains("namespace0.1") && !one.contains("namespace0.0\""), one);
        assertEquals(one, run("list", "-n", "0.1"));
        String sector = (String) run("list", "-m", "sector");
        assertTrue(sector.contains("\"mode\":\"sector\"") && !sector.contains("\"mode\":\"raw\""), sector);
        String region1 = (String) run("list", "-N", "-r", "region1");
        assertTrue(region1.contains("namespace1.0") && !region1.contains("namespace0."), region1);
        UsageError mode = assertThrows(UsageError.class, () -> run("list", "-m", "bogus"));
        assertEquals("ndctl list: invalid mode: 'bogus'", mode.getMessage());
        UsageError ns = assertThrows(UsageError.class, () -> run("list", "-n", "namespace7.7"));
        assertEquals("ndctl list: namespace7.7: no such namespace", ns.getMessage());
    }

    @Test
    void humanAndVerbose() throws Exception {
        create("-s", "8m");
        String human = (String) run("list", "-Nu", "-n", "namespace0.0");
        assertTrue(human.startsWith("{") && human.contains("\"size\":\"8.00 MiB (8.39 MB)\""), human);
        run("inject-error", "namespace0.0", "-B", "4", "-n", "2");
        String plain = (String) run("list", "-N", "-n", "namespace0.0");
        assertTrue(plain.contains("\"badblock_count\":2") && !plain.contains("\"badblocks\""), plain);
        String verbose = (String) run("list", "-v", "-n", "namespace0.0");
        assertTrue(verbose.contains("\"badblocks\":[\n      {\n        \"offset\":4,\n        \"length\":2\n      }\n    ]"),
                verbose);
    }

    @Test
    void withoutTheNamespaceServiceThereAreNone() throws Exception {
        NdctlCommands without = new NdctlCommands(bus.core, bus.regions);
        assertNull(without._main(null, new String[] {"list"}));
        assertTrue(((String) without._main(null, new String[] {"list", "-R"})).startsWith("["));
    }
}
