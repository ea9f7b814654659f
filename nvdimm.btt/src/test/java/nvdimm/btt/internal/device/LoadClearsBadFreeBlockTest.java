package nvdimm.btt.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.internal.BttTestStack;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.region.internal.BttTestBuses;
import org.junit.jupiter.api.Test;

/**
 * Media errors through the BTT device: a read of a bad block gives EIO and marks the LBA, a write remaps it and
 * clears the freed block through the provider; and when that block is bad again at the next load (the log says
 * it must be cleared: {@code btt_freelist_init}), loading clears it with a write that clears bad blocks, as
 * Linux's {@code arena_clear_freelist_error} does, and the BTT comes up.
 */
class LoadClearsBadFreeBlockTest {
    static final long MIB = 1L << 20;
    /** LBA 5's block before any write (identity map): BTT v1.1 at 4 KiB, data from 4 KiB into the arena. */
    static final long BLOCK_5 = 4096 + 4096 + 5 * 4096;

    static void poison(BttTestStack stack, long offset) {
        Region r = stack.region("region0");
        r.injectError(offset, 4096);
        r.startScrub();
        r.waitScrub(Duration.ofSeconds(10));
    }

    @Test
    void aBadBlockIsRemappedOnWriteAndClearedAgainWhenTheBttLoads() {
        try (BttTestStack stack = new BttTestStack(BttTestBuses.labelLess("e", 32 * MIB))) {
            stack.ops().reconfigure("namespace0.0", new NamespaceSpec(Optional.empty(), OptionalLong.empty(),
                    NamespaceMode.SECTOR, Optional.empty(), Optional.empty(), OptionalInt.of(4096)), true);
            poison(stack, BLOCK_5);
            BlockDevice d = stack.disk("pmem0s").orElseThrow();
            assertEquals(List.of(), d.badblocks(), "a BTT hides bad blocks");
            MemorySegment buf = MemorySegment.ofArray(new byte[4096]);
            NvdimmException e = assertThrows(NvdimmException.class, () -> d.read(5, buf));
            assertEquals(Errno.EIO, e.errno());
            byte[] data = new byte[4096];
            java.util.Arrays.fill(data, (byte) 0x5c);
            d.write(5, MemorySegment.ofArray(data));
            assertEquals(List.of(), stack.region("region0").badblocks().ranges(), "the freed block was cleared");
            d.read(5, buf);
            assertArrayEquals(data, buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));

            poison(stack, BLOCK_5); // bad again: the log still says this free block needs clearing
            assertEquals(List.of(new Badblocks.Range(BLOCK_5 / 512, 8)), stack.region("region0").badblocks().ranges());
            stack.restart();
            poison(stack, BLOCK_5); // (the restarted region learns of it from a scrub, as Linux's ARS would)
            stack.ops().disable("namespace0.0");
            stack.ops().enable("namespace0.0");
            BlockDevice again = stack.disk("pmem0s").orElseThrow(() -> new AssertionError(
                    "the BTT did not load: " + stack.core.find("btt0.0").flatMap(x -> x.probeError())));
            again.read(5, buf);
            assertArrayEquals(data, buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertEquals(List.of(), stack.region("region0").badblocks().ranges(), "loading cleared it");
            assertEquals(List.of(), stack.problems());
        }
    }
}
