package nvdimm.integration.provider;

import java.util.List;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The smallest provider bundle: one label-less DIMM of 1 MiB in memory. The hot-deploy test packs
 * these classes into a bundle of their own and drops it into deploy/, as a user would.
 */
public final class HotProvider implements BundleActivator, BusProvider {

    public static final String NAME = "it.hot";
    static final long SIZE = 1 << 20;

    private Medium medium;
    private ServiceRegistration<BusProvider> registration;

    @Override
    public void start(BundleContext context) {
        medium = Media.memory(NAME + ".region", SIZE);
        registration = context.registerService(BusProvider.class, this, null);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        medium.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<DimmDescriptor> dimms() {
        return List.of(new DimmDescriptor(1, 0, 0x8086, 1, 1, 0, 0, 0x777, SIZE, 0, Set.of()));
    }

    @Override
    public List<RegionDescriptor> regions() {
        return List.of(new RegionDescriptor(1L << 40, SIZE, List.of(new Mapping(1, 0, SIZE, 0, 0)), 1, 0, 4096,
                PersistenceDomain.MEMORY_CONTROLLER, medium, null));
    }

    @Override
    public CommandHandler commands() {
        return new Commands();
    }

    /** Answers the label size (none) and refuses everything else, as a minimal platform would. */
    public static final class Commands implements CommandHandler {
        private static NvdimmException unsupported(String what) {
            return new NvdimmException(Errno.EOPNOTSUPP, NAME + ": " + what);
        }

        @Override
        public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
            return new LabelAreaInfo(0, 4096);
        }

        @Override
        public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
            throw unsupported("label data");
        }

        @Override
        public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
            throw unsupported("label data");
        }

        @Override
        public void startScrub(long address, long length) {
            throw unsupported("scrub");
        }

        @Override
        public ScrubStatus scrubStatus() {
            return new ScrubStatus(false, List.of());
        }

        @Override
        public long clearError(long address, long length) {
            throw unsupported("clear error");
        }

        @Override
        public void injectError(long address, long length) {
            throw unsupported("error injection");
        }

        @Override
        public void uninjectError(long address, long length) {
            throw unsupported("error injection");
        }

        @Override
        public List<ErrorRecord> injectedErrors() {
            return List.of();
        }

        @Override
        public DimmHealth health(DimmDescriptor dimm) {
            return new DimmHealth("ok", 30.0, 100, 0, "clean");
        }
    }
}
