package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

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
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** Boots the assembled runtime and checks that all of it runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RuntimeHealthIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return Runtime.options();
    }

    @Test
    public void everyRuntimeBundleIsActiveAndEveryComponentSatisfied() {
        assertEquals(List.of(), RuntimeHealth.problems(context, scr));
        for (String bsn : List.of("nvdimm.lockdep", "nvdimm.bus", "nvdimm.region", "nvdimm.namespace",
                "nvdimm.btt", "nvdimm.virtio", "nvdimm.emul", "nvdimm.shell", "org.apache.felix.scr",
                "org.apache.felix.configadmin", "org.apache.felix.eventadmin", "org.apache.felix.fileinstall",
                "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline")) {
            assertTrue(bsn + " is installed",
                    Arrays.stream(context.getBundles()).anyMatch(b -> bsn.equals(b.getSymbolicName())));
        }
    }

    /** Tests run the validator in THROW mode, from etc/nvdimm.lockdep.cfg through FileInstall. */
    @Test
    public void theValidatorRunsInThrowMode() throws InterruptedException {
        ServiceReference<Lockdep> ref = context.getServiceReference(Lockdep.class);
        Lockdep lockdep = context.getService(ref);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (lockdep.mode() != LockdepMode.THROW && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(LockdepMode.THROW, lockdep.mode());
        } finally {
            context.ungetService(ref);
        }
    }

    /** The check above must be able to fail: an unsatisfiable component is reported by name. */
    @Test
    public void anUnsatisfiableComponentIsReported() throws Exception {
        Bundle broken = context.installBundle("nvdimm-it:broken", new ByteArrayInputStream(brokenBundle()));
        try {
            broken.start();
            List<String> problems = RuntimeHealth.problems(context, scr);
            assertEquals(List.of("component broken.component (bundle broken.probe) is unsatisfied: "
                    + "no service for reference missing (null)"), problems);
        } finally {
            broken.uninstall();
        }
        assertEquals(List.of(), RuntimeHealth.problems(context, scr));
    }

    /** A bundle with one immediate component that needs a service nobody provides. */
    static byte[] brokenBundle() throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "broken.probe");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/broken.xml");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="broken.component" immediate="true">
                  <implementation class="broken.Impl"/>
                  <reference name="missing" interface="nvdimm.integration.NobodyProvidesThis" cardinality="1..1"/>
                </scr:component>
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/broken.xml"));
            jar.write(xml.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
