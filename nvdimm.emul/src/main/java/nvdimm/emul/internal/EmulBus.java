package nvdimm.emul.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;

/**
 * An emulated bus: DIMMs on media, regions over them, the command handler, faults and flushes.
 * It is the {@link BusProvider} service object. {@link #close()} takes it down: pending flushes
 * fail, the region views close, every DIMM medium is synced and closed.
 */
final class EmulBus implements BusProvider {

    /** Where each bus's regions start in the system physical address space, relative to its window. */
    static final long REGION_SPA_ALIGN = 1L << 30;
    private static final long COMPAT_ALIGN = 16L << 20;
    private static final long PAGE = 4096;

    private final String name;
    private final List<EmulDimm> dimms;
    private final List<DimmDescriptor> dimmDescriptors;
    private final List<RegionDescriptor> regions;
    private final Faults faults;
    private final FlushQueue flushes;
    private final EmulCommands commands;

    /**
     * One region to build.
     *
     * @param dimms indexes into the bus's DIMM list, in interleave position order
     * @param granularity bytes per granule; 0 for one DIMM
     */
    record RegionPlan(List<Integer> dimms, long granularity) {
    }

    /**
     * Builds the bus from DIMMs that are already open. Each region gets all the persistent memory of
     * its DIMMs; region {@code k} starts at {@code spaBase} plus the sizes of the earlier regions,
     * each rounded up to {@value #REGION_SPA_ALIGN} bytes.
     */
    EmulBus(String name, List<EmulDimm> dimms, List<RegionPlan> plans, long spaBase, int maxTransfer, Lockdep lockdep,
            LongSupplier nanoClock) {
        this.name = Objects.requireNonNull(name, "name");
        this.dimms = List.copyOf(dimms);
        this.dimmDescriptors = this.dimms.stream().map(EmulDimm::descriptor).toList();
        this.faults = new Faults(name, lockdep);
        this.flushes = new FlushQueue(name, faults);
        List<RegionDescriptor> built = new ArrayList<>();
        long address = spaBase;
        for (int k = 0; k < plans.size(); k++) {
            RegionPlan plan = plans.get(k);
            built.add(region(k, plan, address, lockdep));
            address += roundUp(built.getLast().size(), REGION_SPA_ALIGN);
        }
        this.regions = List.copyOf(built);
        DimmPoison poisonFiles = new DimmPoison(this.dimms, plans, regions.stream().map(RegionDescriptor::address).toList());
        this.commands = new EmulCommands(name, this.dimms, regions, faults,
                new Ars(name, lockdep, nanoClock, poisonFiles), maxTransfer);
    }

    private RegionDescriptor region(int k, RegionPlan plan, long address, Lockdep lockdep) {
        int ways = plan.dimms().size();
        long share = dimms.get(plan.dimms().getFirst()).descriptor().size();
        long granularity = ways == 1 ? share : plan.granularity();
        List<StripedMedium.Part> parts = new ArrayList<>();
        List<Mapping> mappings = new ArrayList<>();
        for (int position = 0; position < ways; position++) {
            EmulDimm d = dimms.get(plan.dimms().get(position));
            parts.add(new StripedMedium.Part(d.medium(), 0));
            mappings.add(new Mapping(d.handle(), 0, share, position, ways == 1 ? 0 : position * granularity));
        }
        long size = share * ways;
        Medium medium = new StripedMedium(name + "/region" + k, parts, granularity, size, lockdep);
        return new RegionDescriptor(address, size, mappings, ways, ways == 1 ? 0 : granularity, align(size, ways),
                PersistenceDomain.MEMORY_CONTROLLER, medium, flushes.handler(medium));
    }

    /**
     * Linux's default region alignment: 16 MiB (4 KiB for a region smaller than that), multiplied
     * when the ways do not divide it; our SPI needs a power of two, so by the next power of two at
     * or above the ways rather than by the ways.
     */
    static long align(long size, int ways) {
        long align = size < COMPAT_ALIGN ? PAGE : COMPAT_ALIGN;
        if (align % ways != 0) {
            align *= Long.highestOneBit(ways - 1) << 1;
        }
        return align;
    }

    /** The address space the regions of {@code plans} need, in whole {@value #REGION_SPA_ALIGN} units. */
    static long span(List<Long> regionSizes) {
        long total = 0;
        for (long size : regionSizes) {
            total += roundUp(size, REGION_SPA_ALIGN);
        }
        return total;
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<DimmDescriptor> dimms() {
        return dimmDescriptors;
    }

    @Override
    public List<RegionDescriptor> regions() {
        return regions;
    }

    @Override
    public CommandHandler commands() {
        return commands;
    }

    Faults faults() {
        return faults;
    }

    List<EmulDimm> emulDimms() {
        return dimms;
    }

    /** The DIMMs' backing files (none for memory backing). */
    List<Path> files() {
        return dimms.stream().map(EmulDimm::file).filter(Objects::nonNull).toList();
    }

    boolean hasDimm(int handle) {
        return commands.hasDimm(handle);
    }

    /**
     * Takes the bus down: fails pending flushes, closes the region views, syncs and closes every DIMM
     * medium, then releases each DIMM's file lock. Every medium is closed even when a sync fails; the
     * first failure is thrown afterwards.
     */
    void close() {
        flushes.close();
        for (RegionDescriptor r : regions) {
            r.medium().close();
        }
        NvdimmException first = null;
        for (EmulDimm d : dimms) {
            try {
                d.medium().sync();
            } catch (NvdimmException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            } finally {
                d.medium().close();
                if (d.fileLock() != null) {
                    d.fileLock().close(); // only once the file is synced and unmapped may another process have it
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
