package nvdimm.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import javax.inject.Inject;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The validator as a bundle in Felix: THROW mode from configuration, report events, per-bundle release. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LockdepIT {

    private static final LockClass OUTER = LockClass.of("it.outer");
    private static final LockClass INNER = LockClass.of("it.inner");

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return Runtime.options();
    }

    private static void awaitThrowMode(Lockdep lockdep) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lockdep.mode() != LockdepMode.THROW && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(LockdepMode.THROW, lockdep.mode());
    }

    @Test
    public void anAbbaThrowsAndIsPostedAsAnEvent() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "nvdimm/lockdep/REPORT");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, props);
        ServiceReference<Lockdep> ref = context.getServiceReference(Lockdep.class);
        Lockdep lockdep = context.getService(ref);
        try {
            awaitThrowMode(lockdep);
            lockdep.register(OUTER, INNER);
            Lock outer = lockdep.newMutex(OUTER);
            Lock inner = lockdep.newMutex(INNER);
            outer.lock();
            inner.lock();
            inner.unlock();
            outer.unlock();
            inner.lock();
            try {
                assertThrows(LockdepException.class, outer::lock);
            } finally {
                inner.unlock();
            }
            Event event = events.poll(20, TimeUnit.SECONDS);
            assertNotNull("a report event was posted", event);
            assertEquals("CIRCULAR_DEPENDENCY", event.getProperty("kind"));
            assertEquals(List.of("it.outer", "it.inner"), List.of((String[]) event.getProperty("classes")));
        } finally {
            context.ungetService(ref);
            handler.unregister();
        }
    }

    @Test
    public void aBundlesClassesGoWhenItUngetsTheValidator() throws Exception {
        ServiceReference<Lockdep> ref = context.getServiceReference(Lockdep.class);
        Lockdep observer = context.getBundle(0).getBundleContext().getService(ref);
        try {
            int before = observer.status().classes();
            Lockdep mine = context.getService(ref);
            mine.register(OUTER, INNER);
            assertEquals(before + 2, observer.status().classes());
            context.ungetService(ref);
            assertEquals(before, observer.status().classes());
        } finally {
            context.getBundle(0).getBundleContext().ungetService(ref);
        }
    }
}
