package nvdimm.bus.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A range of a {@link SegmentMedium}'s memory lent under a shared arena of its own (Linux would say
 * a second mapping of the same pages): its accesses are the lender's plain segment accesses, and
 * closing it closes only its arena. The JDK stops every thread inside an access to the arena's
 * segments when it closes, so once {@link #close()} returns nothing more reaches the memory through
 * the window, at no cost to the accesses themselves (no count, no fence). The lender closes its
 * windows before it releases the memory, so a window never outlives what it views.
 *
 * <p>Persisting, draining and syncing write no memory; the window forwards them to the lender, for
 * its range ({@code persist}) or whole ({@code sync}, {@code drain}: a range of a mapping has no
 * write-back of its own).
 */
final class SegmentWindow extends SegmentMedium {

    private final SegmentMedium lender;
    private final long base;

    private SegmentWindow(String name, Arena arena, MemorySegment segment, SegmentMedium lender, long base) {
        super(name, arena, segment);
        this.lender = lender;
        this.base = base;
    }

    /**
     * A window on {@code range}, which lies at {@code base} in {@code lender}'s memory, guarded by
     * {@code arena} (a fresh shared arena; a test double may hand one whose {@code close} stops
     * nothing, to show what the arena's close protects).
     */
    static SegmentWindow open(String name, SegmentMedium lender, long base, MemorySegment range, Arena arena) {
        return new SegmentWindow(name, arena, range.reinterpret(arena, null), lender, base);
    }

    @Override
    public Persistence persistence() {
        return lender.persistence();
    }

    @Override
    protected void persistRange(long offset, long length) {
        lender.persist(base + offset, length);
    }

    @Override
    protected void syncAll() {
        lender.sync();
    }

    @Override
    protected void drainAll() {
        lender.drain();
    }

    @Override
    protected void released() {
        lender.windowClosed(this);
    }
}
