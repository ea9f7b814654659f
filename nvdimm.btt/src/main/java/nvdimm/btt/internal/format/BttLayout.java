package nvdimm.btt.internal.format;

import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * The arenas of a new BTT over {@code rawSize} bytes (the namespace's size less the version's initial
 * offset), as Linux's {@code create_arenas}: 512 GiB arenas while the space lasts, the last one smaller, and a
 * tail under 16 MiB left unused. Each arena's {@code nextoff} is its size when another arena follows.
 *
 * @param rawSize bytes from the BTT's start to the namespace's end
 * @param lbasize the external sector size
 * @param arenas the arenas, in order, at least one
 */
public record BttLayout(long rawSize, int lbasize, List<ArenaGeometry> arenas) {

    public BttLayout {
        arenas = List.copyOf(arenas);
    }

    /**
     * Plans the arenas.
     *
     * @throws NvdimmException EINVAL for an unsupported sector size; ENXIO when {@code rawSize} is under
     *     16 MiB, as {@code nvdimm_namespace_attach_btt} refuses it
     */
    public static BttLayout plan(long rawSize, int lbasize) {
        SectorSizes.require("BTT", lbasize);
        if (rawSize < ArenaGeometry.ARENA_MIN) {
            throw new NvdimmException(Errno.ENXIO, "BTT: " + rawSize + " bytes are less than the "
                    + ArenaGeometry.ARENA_MIN + " an arena needs");
        }
        List<ArenaGeometry> arenas = new ArrayList<>();
        long remaining = rawSize;
        long offset = 0;
        while (remaining > 0) {
            long size = Math.min(ArenaGeometry.ARENA_MAX, remaining);
            remaining -= size;
            if (size < ArenaGeometry.ARENA_MIN) {
                break;
            }
            long nextOff = remaining >= ArenaGeometry.ARENA_MIN ? size : 0;
            arenas.add(ArenaGeometry.layout(offset, size, lbasize, nextOff));
            offset += size;
        }
        return new BttLayout(rawSize, lbasize, arenas);
    }

    /** Sectors the BTT exposes: the sum of the arenas' {@code external_nlba}. */
    public long externalNlba() {
        long sum = 0;
        for (ArenaGeometry a : arenas) {
            sum += a.externalNlba();
        }
        return sum;
    }

    /** The BTT's size as Linux reports it ({@code btt_blk_init}): sectors times the data bytes of a sector. */
    public long capacity() {
        return externalNlba() * SectorSizes.dataBytes(lbasize);
    }

    /** Bytes at the end left to no arena: a tail under 16 MiB, or the last arena's rest under a page. */
    public long unusedTail() {
        ArenaGeometry last = arenas.getLast();
        return rawSize - last.start() - last.size();
    }
}
