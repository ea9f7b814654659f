package nvdimm.btt.internal.device;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.UUID;

import nvdimm.btt.BttDevice;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespace;
import nvdimm.region.Badblocks;

/**
 * A loaded BTT as the sector block device {@code pmemNs} (Linux's {@code btt_submit_bio} over
 * {@code btt_read_pg}/{@code btt_write_pg}) and as the {@link BttDevice} listings read. Transfers go straight to
 * the engine, which checks them and allocates nothing; bad blocks are the BTT's to remap, so none are shown.
 */
final class BttDisk implements BlockDevice, BttDevice {
    private final String device;
    private final String name;
    private final Namespace ns;
    private final Btt btt;

    BttDisk(String device, Namespace ns, Btt btt) {
        this.device = device;
        this.ns = ns;
        this.btt = btt;
        this.name = ns.diskName() + "s";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String blockdev() {
        return name;
    }

    @Override
    public String namespace() {
        return ns.name();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public UUID uuid() {
        return btt.uuid();
    }

    @Override
    public UUID parentUuid() {
        return btt.infoBlocks().getFirst().parentUuid();
    }

    @Override
    public String version() {
        return btt.infoBlocks().getFirst().version();
    }

    @Override
    public int sectorSize() {
        return btt.sectorSize();
    }

    @Override
    public long sectors() {
        return btt.sectors();
    }

    @Override
    public long capacity() {
        return btt.capacity();
    }

    @Override
    public void read(long sector, MemorySegment dst) {
        btt.read(sector, dst);
    }

    @Override
    public void write(long sector, MemorySegment src) {
        btt.write(sector, src);
    }

    @Override
    public void flush() {
        btt.flush();
    }

    @Override
    public List<Badblocks.Range> badblocks() {
        return List.of();
    }

    @Override
    public boolean isActive() {
        return btt.isOpen() && ns.isActive();
    }

    Btt btt() {
        return btt;
    }

    @Override
    public String toString() {
        return "BlockDevice[" + name + " on " + device + "]";
    }
}
