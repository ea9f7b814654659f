package nvdimm.btt.internal.device;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Device;
import nvdimm.namespace.Claim;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;

/**
 * A namespace that counts claim attempts and, once, stops a thread right after it wrote {@code gateLength} bytes
 * at {@code gateOffset} (a BTT format's last write, its primary info block) until the test opens the gate.
 */
final class GatedNamespace implements Namespace {
    private final Namespace ns;
    private final long gateOffset;
    private final long gateLength;
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final AtomicInteger claims = new AtomicInteger();

    GatedNamespace(Namespace ns, long gateOffset, long gateLength) {
        this.ns = ns;
        this.gateOffset = gateOffset;
        this.gateLength = gateLength;
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len, boolean atomic) {
        ns.write(offset, src, srcOffset, len, atomic);
        if (offset == gateOffset && len == gateLength && reached.getCount() > 0) {
            reached.countDown();
            try {
                if (!open.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public Claim claim(String holder) {
        claims.incrementAndGet();
        return ns.claim(holder);
    }

    // ------------------------------------------------------------------ the rest delegates

    @Override
    public String name() {
        return ns.name();
    }

    @Override
    public String diskName() {
        return ns.diskName();
    }

    @Override
    public Device device() {
        return ns.device();
    }

    @Override
    public Region region() {
        return ns.region();
    }

    @Override
    public boolean labeled() {
        return ns.labeled();
    }

    @Override
    public Optional<UUID> uuid() {
        return ns.uuid();
    }

    @Override
    public Optional<String> altName() {
        return ns.altName();
    }

    @Override
    public long regionOffset() {
        return ns.regionOffset();
    }

    @Override
    public long size() {
        return ns.size();
    }

    @Override
    public int lbaSize() {
        return ns.lbaSize();
    }

    @Override
    public ClaimClass claimClass() {
        return ns.claimClass();
    }

    @Override
    public Optional<String> labelVersion() {
        return ns.labelVersion();
    }

    @Override
    public NamespaceMode mode() {
        return ns.mode();
    }

    @Override
    public boolean isActive() {
        return ns.isActive();
    }

    @Override
    public List<Badblocks.Range> badblocks() {
        return ns.badblocks();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        ns.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src, boolean atomic) {
        write(offset, src, 0, src.byteSize(), atomic);
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        ns.read(offset, dst, dstOffset, len);
    }

    @Override
    public int readInt(long offset) {
        return ns.readInt(offset);
    }

    @Override
    public long readLong(long offset) {
        return ns.readLong(offset);
    }

    @Override
    public void writeInt(long offset, int value) {
        ns.writeInt(offset, value);
    }

    @Override
    public void writeLong(long offset, long value) {
        ns.writeLong(offset, value);
    }

    @Override
    public boolean isBad(long offset, long length) {
        return ns.isBad(offset, length);
    }

    @Override
    public void flush() {
        ns.flush();
    }

    @Override
    public Optional<String> claimedBy() {
        return ns.claimedBy();
    }
}
