package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.NvdimmBus;
import nvdimm.integration.provider.HotProvider;
import nvdimm.region.Region;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Providers come and go while the stack runs: the emul bundle stopped, updated, uninstalled and
 * back; a provider bundle dropped into deploy/ and deleted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ProviderLifecycleIT {

    static final String EMUL_CFG = """
            dimms = 2
            dimm.size = 16M
            label.size = 128K,0
            regions = 0,1
            backing = memory
            """;

    @Inject
    BundleContext context;

    @Inject
    DeviceCore core;

    @Configuration
    public Option[] config() {
        return Runtime.options(Map.of("nvdimm.emul-it.cfg", EMUL_CFG));
    }

    private Optional<NvdimmBus> bus(String provider) {
        return core.buses().stream().filter(b -> b.provider().equals(provider)).findFirst();
    }

    private NvdimmBus awaitBus(String provider) throws InterruptedException {
        Waits.until("bus " + provider + " to appear", () -> bus(provider).isPresent());
        core.waitProbeIdle();
        return bus(provider).orElseThrow();
    }

    private Bundle emul() {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("nvdimm.emul"))
                .findFirst().orElseThrow();
    }

    /** The {@code dev} of each device REMOVE event, in the order the core posted them. */
    private List<String> recordRemovals() {
        List<String> removed = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DeviceEvents.REMOVE);
        context.registerService(EventHandler.class, event -> removed.add((String) event.getProperty(DeviceEvents.DEV)),
                props);
        return removed;
    }

    /** Devices are removed children first: every DIMM before its bus; their services are all gone. */
    private void assertTornDownChildrenFirst(List<String> removed, NvdimmBus bus) throws Exception {
        List<String> expected = new ArrayList<>();
        bus.dimms().forEach(d -> expected.add(d.name()));
        Waits.until("REMOVE events for the bus and its DIMMs: " + removed,
                () -> removed.containsAll(expected) && removed.contains(bus.name()));
        for (String dimm : expected) {
            assertTrue("DIMM " + dimm + " removed before its bus: " + removed,
                    removed.indexOf(dimm) < removed.indexOf(bus.name()));
        }
        assertTrue("no device service of the bus is left",
                context.getServiceReferences(Device.class, "(" + Device.SERVICE_BUS + "=" + bus.name() + ")").isEmpty());
    }

    @Test
    public void stoppingEmulTakesItsBusDownChildrenFirstAndStartingBringsItBack() throws Exception {
        NvdimmBus bus = awaitBus("emul.it");
        assertEquals(2, bus.dimms().size());
        List<String> removed = recordRemovals();

        emul().stop();
        assertTrue("the bus is gone", bus("emul.it").isEmpty());
        assertTornDownChildrenFirst(removed, bus);

        emul().start();
        NvdimmBus back = awaitBus("emul.it");
        assertEquals(2, back.dimms().size());
        assertTrue(back.dimms().stream().allMatch(Device::isEnabled));
    }

    @Test
    public void updatingOrUninstallingEmulTakesItsBusDown() throws Exception {
        awaitBus("emul.it");
        emul().update();
        NvdimmBus updated = awaitBus("emul.it");
        assertEquals(2, updated.dimms().size());

        List<String> removed = recordRemovals();
        Path file = Runtime.bundleFiles().stream()
                .filter(p -> p.getFileName().toString().equals("nvdimm.emul.jar")).findFirst().orElseThrow();
        emul().uninstall();
        assertTrue(bus("emul.it").isEmpty());
        assertTornDownChildrenFirst(removed, updated);

        Bundle again = context.installBundle(file.toUri().toString());
        again.start();
        assertEquals(2, awaitBus("emul.it").dimms().size());
    }

    @Test
    public void theBusesRegionsArePublishedWithBadblocksAndFlush() throws Exception {
        NvdimmBus bus = awaitBus("emul.it");
        String filter = "(" + Device.SERVICE_BUS + "=" + bus.name() + ")";
        Waits.until("a Region service per region", () -> regionRefs(filter).size() == 2);
        for (ServiceReference<Region> ref : regionRefs(filter)) {
            Region region = context.getService(ref);
            try {
                assertEquals(ref.getProperty(Device.SERVICE_DEV), region.name());
                assertEquals(16 << 20, region.size());
                assertTrue("badblocks exist before anything else sees the region", region.badblocks().isEmpty());
                assertTrue(region.deepFlushNeeded());
                region.flush();
                int lane = region.acquireLane();
                region.releaseLane(lane);
            } finally {
                context.ungetService(ref);
            }
        }
    }

    private java.util.Collection<ServiceReference<Region>> regionRefs(String filter) {
        try {
            return context.getServiceReferences(Region.class, filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    public void aProviderBundleDroppedIntoDeployAppearsAsANewBus() throws Exception {
        awaitBus("emul.it");
        Path deploy = Path.of(context.getProperty("nvdimm.data")).resolve("deploy");
        Path staged = Files.write(deploy.getParent().resolve("hot.jar.tmp"), hotProviderBundle());
        Files.move(staged, deploy.resolve("hot-provider.jar"), StandardCopyOption.ATOMIC_MOVE);

        NvdimmBus hot = awaitBus(HotProvider.NAME);
        assertEquals(1, hot.dimms().size());
        assertEquals(2, core.buses().size());

        Files.delete(deploy.resolve("hot-provider.jar"));
        Waits.until("the hot bus to go", () -> bus(HotProvider.NAME).isEmpty());
        assertTrue("the other bus stays", bus("emul.it").isPresent());
    }

    /** {@link HotProvider} packed as a bundle of its own. */
    private static byte[] hotProviderBundle() throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "it.hot.provider");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", HotProvider.class.getName());
        a.putValue("Import-Package", "nvdimm.bus, nvdimm.bus.spi, org.osgi.framework");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            List<Class<?>> classes = new ArrayList<>(List.of(HotProvider.class));
            classes.addAll(List.of(HotProvider.class.getDeclaredClasses()));
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    jar.putNextEntry(new JarEntry(entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray()).readAllBytes();
    }
}
