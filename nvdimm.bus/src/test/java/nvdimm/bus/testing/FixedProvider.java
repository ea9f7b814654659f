package nvdimm.bus.testing;

import java.util.List;

import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.RegionDescriptor;

/**
 * A provider whose DIMMs, regions and command handler are fixed when it is made: what the test
 * providers of every module have in common. Its regions' media outlive the buses it is added to (a
 * restarted core sees what was written); {@link #close()} closes them. A test fixture, shared with later modules' tests through
 * this module's test-jar (not part of the exported {@code nvdimm.bus.testing} API).
 *
 * @param <C> the command handler's type, so that a test reaches its controls through {@link #commands}
 */
public class FixedProvider<C extends CommandHandler> implements BusProvider, AutoCloseable {
    private final String name;
    private final List<DimmDescriptor> dimms;
    private final List<RegionDescriptor> regions;
    public final C commands;

    public FixedProvider(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions, C commands) {
        this.name = name;
        this.dimms = List.copyOf(dimms);
        this.regions = List.copyOf(regions);
        this.commands = commands;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<DimmDescriptor> dimms() {
        return dimms;
    }

    @Override
    public final List<RegionDescriptor> regions() {
        return regions;
    }

    @Override
    public final C commands() {
        return commands;
    }

    /** Region {@code k}'s description. */
    public final RegionDescriptor region(int k) {
        return regions.get(k);
    }

    /** Closes every region's medium. */
    @Override
    public void close() {
        for (RegionDescriptor r : regions) {
            r.medium().close();
        }
    }
}
