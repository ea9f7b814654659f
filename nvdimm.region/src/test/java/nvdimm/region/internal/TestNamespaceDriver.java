package nvdimm.region.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.NvdimmException;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;

/**
 * A namespace driver whose probe does what {@code nd_pmem_probe} does first: looks at its region's
 * badblocks. Every probe that finds the region without them (or without the expected ones) is a
 * violation. Removes are recorded in order.
 */
final class TestNamespaceDriver implements Driver {
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> probed = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    /** The badblocks each region (by name) must show, or null for any. */
    volatile Function<String, List<Badblocks.Range>> expected = name -> null;
    /** Runs at the end of every probe, after the check, with the region's name. */
    volatile Consumer<String> afterProbe = name -> { };

    @Override
    public String name() {
        return "nd_pmem";
    }

    @Override
    public boolean match(Device device) {
        return device.type() == DeviceType.NAMESPACE_IO || device.type() == DeviceType.NAMESPACE_PMEM;
    }

    @Override
    public void probe(Device device) {
        probed.add(device.name());
        Device parent = device.parent().orElseThrow();
        Region region = parent.driverData(Region.class).orElse(null);
        if (region == null) {
            violations.add(device.name() + ": probed under " + parent.name() + " without its region");
            return;
        }
        check(device.name(), region, violations, expected.apply(region.name()));
        afterProbe.accept(region.name());
    }

    /** Records a violation unless the region's badblocks are there (and as expected). */
    static void check(String who, Region region, List<String> violations, List<Badblocks.Range> expected) {
        try {
            List<Badblocks.Range> now = region.badblocks().ranges();
            if (expected != null && !now.equals(expected)) {
                violations.add(who + ": " + region.name() + " shows badblocks " + now + ", not " + expected);
            }
        } catch (NvdimmException e) {
            violations.add(who + ": " + e.getMessage());
        }
    }

    @Override
    public void remove(Device device) {
        removed.add(device.name());
    }
}
