package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl inject-error}: poison (or un-poison) 512-byte blocks of a region through the
 * provider, or show the poison injected. ndctl aims it at a namespace; until namespaces exist here
 * it takes a region, with blocks counted from the region's start. As ndctl does, an injection
 * notifies: it scrubs the region and waits, so the new bad blocks are in the region's badblocks when
 * it prints the region (with its media errors); {@code -N} skips that, and the poison shows after
 * the next scrub. {@code -t} prints the injected ranges, and nothing when there are none.
 */
final class InjectErrorCommand implements Subcommand {

    private final RegionLookup lookup;
    private final Duration scrubTimeout;

    InjectErrorCommand(RegionLookup lookup, Duration scrubTimeout) {
        this.lookup = lookup;
        this.scrubTimeout = scrubTimeout;
    }

    @Override
    public Usage usage() {
        return new Usage("inject-error", "inject media errors into a region, remove them, or show them",
                "<region> [<options>]",
                "  -B --block=BLOCK    the first 512-byte block, from the region's start",
                "  -n --count=COUNT    how many blocks (default=1)",
                "  -d --uninject       remove injected errors instead",
                "  -t --status         show the injected errors",
                "  -N --no-notify      do not scrub: the errors show after the next scrub",
                "  -u --human          human-friendly sizes and hex numbers");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        boolean status = opt.isSet("status");
        boolean uninject = opt.isSet("uninject");
        boolean human = opt.isSet("human");
        if (status && (uninject || opt.isSet("block") || opt.isSet("count"))) {
            throw new UsageError("status is invalid with inject or uninject");
        }
        Region region = lookup.one(opt);
        if (status) {
            return status(region, human);
        }
        if (!opt.isSet("block")) {
            throw new UsageError("give the first block with -B/--block");
        }
        long block = number(opt.get("block"), "block");
        long count = opt.isSet("count") ? number(opt.get("count"), "count") : 1;
        if (count < 1) {
            throw new UsageError("count must be at least 1, not " + count);
        }
        long sectors = region.size() / Badblocks.SECTOR_SIZE;
        if (block >= sectors || count > sectors - block) {
            throw new UsageError(region.name() + ": blocks " + block + ".." + (block + count - 1)
                    + " are beyond its " + sectors + " blocks");
        }
        long offset = block * Badblocks.SECTOR_SIZE;
        long length = count * Badblocks.SECTOR_SIZE;
        if (uninject) {
            boolean any = region.injectedErrors().stream().anyMatch(r -> r.overlaps(block, count));
            if (!any) {
                err.println(region.name() + ": no injected errors in blocks " + block + ".." + (block + count - 1)
                        + ", nothing to uninject");
                return null;
            }
            region.uninjectError(offset, length);
        } else {
            region.injectError(offset, length);
            if (!opt.isSet("no-notify")) {
                scrub(region);
            }
        }
        return Json.print(RegionJson.of(region.device(), Optional.of(region),
                new RegionJson.Detail(false, null, false, true, human)));
    }

    /** ndctl's notify: a scrub that starts after the injection, waited for. */
    private void scrub(Region region) {
        try {
            region.startScrub();
        } catch (NvdimmException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
            region.waitScrub(scrubTimeout); // one started before the injection may have missed it
            region.startScrub();
        }
        region.waitScrub(scrubTimeout);
    }

    private static String status(Region region, boolean human) {
        List<Badblocks.Range> injected = region.injectedErrors();
        if (injected.isEmpty()) {
            return null;
        }
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("badblocks");
        for (Badblocks.Range r : injected) {
            ObjectNode rj = list.addObject();
            Human.putHex(rj, "block", r.sector(), human);
            Human.putHex(rj, "count", r.count(), human);
        }
        return Json.print(o);
    }

    static long number(String text, String what) {
        try {
            long n = Long.decode(text);
            if (n < 0) {
                throw new UsageError(what + " must not be negative, not " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError(what + " '" + text + "' is not a number");
        }
    }
}
