package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * it takes a region, with blocks counted from the region's start. As with nfit_test, injected
 * poison reaches the badblocks after the next scrub ({@code start-scrub}, {@code wait-scrub}).
 */
final class InjectErrorCommand implements Subcommand {

    private final RegionLookup lookup;

    InjectErrorCommand(RegionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public Usage usage() {
        return new Usage("inject-error", "inject media errors into a region, remove them, or show them", "<region> [<options>]",
                "  -B --block=BLOCK    the first 512-byte block, from the region's start",
                "  -n --count=COUNT    how many blocks (default=1)",
                "  -d --uninject       remove injected errors instead",
                "  -t --status         show the injected errors");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        Region region = lookup.one(opt);
        if (opt.isSet("status")) {
            return status(region);
        }
        if (!opt.isSet("block")) {
            throw new UsageError("give the first block with -B/--block");
        }
        long block = number(opt.get("block"), "block");
        long count = opt.isSet("count") ? number(opt.get("count"), "count") : 1;
        if (count < 1) {
            throw new UsageError("count must be at least 1, not " + count);
        }
        long offset = Math.multiplyExact(block, (long) Badblocks.SECTOR_SIZE);
        long length = Math.multiplyExact(count, (long) Badblocks.SECTOR_SIZE);
        if (opt.isSet("uninject")) {
            region.uninjectError(offset, length);
            err.println("uninjected " + count + " block" + (count == 1 ? "" : "s") + " at block " + block
                    + " of " + region.name());
        } else {
            region.injectError(offset, length);
            err.println("injected " + count + " block" + (count == 1 ? "" : "s") + " at block " + block
                    + " of " + region.name());
        }
        return null;
    }

    private static String status(Region region) {
        ObjectNode o = Json.object();
        o.put("dev", region.name());
        List<Badblocks.Range> injected = region.injectedErrors();
        if (!injected.isEmpty()) {
            ArrayNode list = o.putArray("badblocks");
            for (Badblocks.Range r : injected) {
                ObjectNode rj = list.addObject();
                rj.put("block", r.sector());
                rj.put("count", r.count());
            }
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
