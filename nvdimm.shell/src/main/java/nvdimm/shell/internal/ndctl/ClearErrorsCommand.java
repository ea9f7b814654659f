package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import org.jline.builtins.Options;

/**
 * {@code ndctl clear-errors}: clears every known bad block of a namespace (as ndctl does), or of a
 * whole region, through the provider's Clear Uncorrectable Error; {@code --scrub} scrubs first so that
 * recently injected poison is known. It counts what it cleared as ndctl does ({@code cleared 1
 * namespace}; {@code cleared 1 region} for the region form) and prints a namespace with its media
 * errors, as ndctl prints it after clearing.
 */
final class ClearErrorsCommand implements Subcommand {

    private final RegionLookup lookup;
    private final Supplier<Namespaces> namespaces;
    private final Duration scrubTimeout;

    ClearErrorsCommand(RegionLookup lookup, Supplier<Namespaces> namespaces, Duration scrubTimeout) {
        this.lookup = lookup;
        this.namespaces = namespaces;
        this.scrubTimeout = scrubTimeout;
    }

    @Override
    public Usage usage() {
        return new Usage("clear-errors", "clear the bad blocks of a namespace or region", "<namespace>|<region> [<options>]",
                "  -s --scrub          scrub the region first to find all errors",
                "  -v --verbose        name each cleared range");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        ErrorTarget target = ErrorTarget.of(opt, lookup, namespaces);
        Region region = target.region();
        if (opt.isSet("scrub")) {
            region.startScrub();
            region.waitScrub(scrubTimeout);
        }
        for (Badblocks.Range r : target.clip(region.badblocks().ranges())) {
            region.clearErrors(target.regionOffset(r.sector()), r.count() * Badblocks.SECTOR_SIZE);
            if (opt.isSet("verbose")) {
                err.println(target.name() + ": cleared blocks " + r.sector() + ".." + (r.end() - 1));
            }
        }
        if (target.namespace().isEmpty()) {
            err.println("cleared 1 region");
            return null;
        }
        err.println("cleared 1 namespace");
        Namespaces service = namespaces.get();
        Optional<NamespaceInfo> info = service == null ? Optional.empty() : service.info(target.namespace().get());
        return info.map(i -> Json.print(NamespaceJson.of(i, true, false))).orElse(null);
    }
}
