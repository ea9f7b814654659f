package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import org.jline.builtins.Options;

/**
 * {@code ndctl clear-errors}: clears every known bad block of a region through the provider's
 * Clear Uncorrectable Error; {@code --scrub} scrubs first so that recently injected poison is known.
 * ndctl aims it at a namespace and counts the namespaces it cleared ({@code cleared 1 namespace});
 * until namespaces exist here it takes a region and counts regions.
 */
final class ClearErrorsCommand implements Subcommand {

    private final RegionLookup lookup;
    private final Duration scrubTimeout;

    ClearErrorsCommand(RegionLookup lookup, Duration scrubTimeout) {
        this.lookup = lookup;
        this.scrubTimeout = scrubTimeout;
    }

    @Override
    public Usage usage() {
        return new Usage("clear-errors", "clear the bad blocks of a region", "<region> [<options>]",
                "  -s --scrub          scrub the region first to find all errors",
                "  -v --verbose        name each cleared range");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        Region region = lookup.one(opt);
        if (opt.isSet("scrub")) {
            region.startScrub();
            region.waitScrub(scrubTimeout);
        }
        List<Badblocks.Range> bad = region.badblocks().ranges();
        for (Badblocks.Range r : bad) {
            region.clearErrors(r.sector() * Badblocks.SECTOR_SIZE, r.count() * Badblocks.SECTOR_SIZE);
            if (opt.isSet("verbose")) {
                err.println(region.name() + ": cleared blocks " + r.sector() + ".." + (r.end() - 1));
            }
        }
        err.println("cleared 1 region");
        return null;
    }
}
