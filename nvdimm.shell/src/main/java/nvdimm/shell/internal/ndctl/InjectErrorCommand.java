package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl inject-error}: poison (or un-poison) 512-byte blocks of a namespace through the
 * provider, or show the poison injected, as ndctl does: blocks count from the namespace's start. A
 * region may be named instead, blocks then counting from the region's start. As ndctl does, an
 * injection notifies: it scrubs the region and waits, so the new bad blocks are in the badblocks when
 * it prints the namespace (or region) with its media errors; {@code -N} skips that, and the poison
 * shows after the next scrub. {@code -t} prints the injected ranges of the target, and nothing when
 * there are none.
 */
final class InjectErrorCommand implements Subcommand {

    private final RegionLookup lookup;
    private final Supplier<Namespaces> namespaces;
    private final Duration scrubTimeout;

    InjectErrorCommand(RegionLookup lookup, Supplier<Namespaces> namespaces, Duration scrubTimeout) {
        this.lookup = lookup;
        this.namespaces = namespaces;
        this.scrubTimeout = scrubTimeout;
    }

    @Override
    public Usage usage() {
        return new Usage("inject-error", "inject media errors into a namespace or region, remove them, or show them",
                "<namespace>|<region> [<options>]",
                "  -B --block=BLOCK    the first 512-byte block, from the namespace's (or region's) start",
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
        ErrorTarget target = ErrorTarget.of(opt, lookup, namespaces);
        Region region = target.region();
        if (status) {
            return status(target, human);
        }
        if (!opt.isSet("block")) {
            throw new UsageError("give the first block with -B/--block");
        }
        long block = number(opt.get("block"), "block");
        long count = opt.isSet("count") ? number(opt.get("count"), "count") : 1;
        if (count < 1) {
            throw new UsageError("count must be at least 1, not " + count);
        }
        target.check(block, count);
        long offset = target.regionOffset(block);
        long length = count * Badblocks.SECTOR_SIZE;
        if (uninject) {
            boolean any = target.clip(region.injectedErrors()).stream().anyMatch(r -> r.overlaps(block, count));
            if (!any) {
                err.println(target.name() + ": no injected errors in blocks " + block + ".." + (block + count - 1)
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
        return print(target, human);
    }

    /** The target with its media errors: the namespace as list -N -M shows it, or the region. */
    private String print(ErrorTarget target, boolean human) {
        if (target.namespace().isPresent()) {
            Namespaces service = namespaces.get();
            Optional<NamespaceInfo> info = service == null ? Optional.empty() : service.info(target.namespace().get());
            if (info.isPresent()) {
                return Json.print(NamespaceJson.of(info.get(), true, human));
            }
        }
        return Json.print(RegionJson.of(target.region().device(), Optional.of(target.region()),
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

    private static String status(ErrorTarget target, boolean human) {
        List<Badblocks.Range> injected = target.clip(target.region().injectedErrors());
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
        if (!text.chars().allMatch(c -> c < 0x80)) { // Long.decode takes other scripts' digits too
            throw new UsageError(what + " '" + text + "' is not a number");
        }
        try {
            long n = Long.decode(text);
            if (n < 0) {
                throw new UsageError(what + " must not be negative, not " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            if (text.matches("[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)")) {
                throw new UsageError(what + " " + text + " is too large");
            }
            throw new UsageError(what + " '" + text + "' is not a number");
        }
    }
}
