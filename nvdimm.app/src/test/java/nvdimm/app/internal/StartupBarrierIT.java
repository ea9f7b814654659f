package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The startup barrier waits for the Gogo commands DS components declare, not for a fixed time. */
class StartupBarrierIT {

    @TempDir
    Path tmp;

    @Test
    void theStacksCommandsAreRegisteredWhenStartReturns() throws Exception {
        try (Launcher launcher = Launcher.start(tmp.resolve("data"), new PrintStream(OutputStream.nullOutputStream()))) {
            ServiceReference<?>[] list = launcher.context().getAllServiceReferences((String) null,
                    "(&(osgi.command.scope=ndctl)(osgi.command.function=list))");
            assertNotNull(list, "ndctl:list is registered without any retry");
            assertTrue(new StartupBarrier(launcher.context(), launcher.data()).pending().isEmpty());
        }
    }

    @Test
    void aCommandComponentThatCannotRegisterIsNamed() throws Exception {
        // negative control: a component declaring a command, held back by a reference nothing provides
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        writeCommandBundle(data.resolve("deploy").resolve("probe.jar"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Launcher launcher = Launcher.start(data, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            String said = err.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("component probe.commands to register its commands"), said);
            assertEquals(java.util.List.of("component probe.commands to register its commands"),
                    new StartupBarrier(launcher.context(), launcher.data()).pending());
        }
    }

    private static void writeCommandBundle(Path jar) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "probe.commands");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/probe.xml");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="probe.commands">
                  <implementation class="probe.Commands"/>
                  <service><provide interface="java.lang.Object"/></service>
                  <property name="osgi.command.scope" value="probe"/>
                  <property name="osgi.command.function" value="hello"/>
                  <reference name="never" interface="probe.Never" cardinality="1..1"/>
                </scr:component>
                """;
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("OSGI-INF/probe.xml"));
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
