package nvdimm.integration;

import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.DeviceEvents;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Device REMOVE events as the core posts them, and the children-first order of a bus's teardown. */
final class Removals {

    private Removals() {
    }

    /** From now on, the {@code dev} of every REMOVE event, in the order they arrive. */
    static List<String> record(BundleContext context) {
        List<String> removed = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DeviceEvents.REMOVE);
        context.registerService(EventHandler.class, e -> removed.add((String) e.getProperty(DeviceEvents.DEV)), props);
        return removed;
    }

    /** The BTTs, namespaces and regions removed went before their bus, and a region went. */
    static void assertChildrenFirst(List<String> removed, String bus) {
        int busAt = removed.indexOf(bus);
        for (String child : removed) {
            if (child.startsWith("btt") || child.startsWith("namespace") || child.startsWith("region")) {
                assertTrue(child + " removed after " + bus + ": " + removed, removed.indexOf(child) < busAt);
            }
        }
        assertTrue("a region went: " + removed, removed.stream().anyMatch(d -> d.startsWith("region")));
    }
}
