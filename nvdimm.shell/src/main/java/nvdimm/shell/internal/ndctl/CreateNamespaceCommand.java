package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Sizes;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl create-namespace}, as ndctl's namespace.c does it: the arguments are checked first
 * (mode, size, uuid, name, sector size); then the regions the filters select are tried in order, each
 * checked as ndctl's {@code validate_namespace_options} checks it before anything is written: a region
 * that is disabled, label-less (its one namespace spans it) or without a free extent large enough is
 * passed over, a size that is not a multiple of the region's alignment (or of 4 KiB per interleave way)
 * is refused, as is a sector-mode namespace under 16 MiB. The first region that takes the namespace
 * ends the search; with {@code -c} every region gets one, and with {@code -c -f} a failure moves on to
 * the next region. The new namespace's JSON goes to stdout (human-readable when stdout is the shell's
 * terminal, as ndctl does on a tty), {@code created N namespace(s)} to stderr. With {@code -e NAME}
 * the namespace is reconfigured in place instead (an enabled one needs {@code -f}).
 *
 * <p>Unlike ndctl, whose default mode is fsdax, a missing {@code -m} means raw: fsdax and devdax are
 * refused by the namespace service, naming the modes it supports.
 */
final class CreateNamespaceCommand implements Subcommand {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The label's name field: 64 bytes, NUL-terminated. */
    private static final int NAME_BYTES = 63;
    private static final long PAGE = 4096;
    private static final long SECTOR_MODE_MIN = 16L << 20;

    private final NamespaceTargets targets;
    private final BooleanSupplier stdoutIsTerminal;
    private final java.util.function.Function<String, Optional<nvdimm.btt.BttDevice>> sectors;

    CreateNamespaceCommand(NamespaceTargets targets, BooleanSupplier stdoutIsTerminal) {
        this(targets, stdoutIsTerminal, ns -> Optional.empty());
    }

    /** With the bound BTT devices by namespace name: a sector namespace prints its BTT's uuid and size. */
    CreateNamespaceCommand(NamespaceTargets targets, BooleanSupplier stdoutIsTerminal,
            java.util.function.Function<String, Optional<nvdimm.btt.BttDevice>> sectors) {
        this.targets = targets;
        this.stdoutIsTerminal = stdoutIsTerminal;
        this.sectors = sectors;
    }

    @Override
    public Usage usage() {
        return new Usage("create-namespace", "create a namespace (or reconfigure one) and print it as JSON", "[<options>]",
                "  -m --mode=MODE        raw or sector; default raw (ndctl's default, fsdax, and devdax are not supported)",
                "  -s --size=SIZE        bytes, with a k, m, g or t suffix (default: the largest free extent)",
                "  -u --uuid=UUID        the namespace's uuid (default: a random one)",
                "  -n --name=NAME        a name for the namespace, at most 63 bytes",
                "  -l --sector-size=SIZE raw: 512 or 4096; sector: a BTT sector size (default 4096)",
                "  -e --reconfig=NAMESPACE  reconfigure this namespace in place instead",
                "  -f --force            reconfigure an enabled namespace; with -c, go on after a failure",
                "  -c --continue         create one namespace in every region selected that has room",
                "  -r --region=REGION    limit to a region: regionN, N, or all",
                "  -b --bus=BUS          limit to a bus: ndbusN, N, its provider, or all",
                "  -v --verbose          say why a region is passed over");
    }

    /** The checked arguments. */
    private record Request(NamespaceMode mode, OptionalLong size, Optional<UUID> uuid, Optional<String> name,
            OptionalInt sectorSize) {

        NamespaceSpec spec(Optional<String> region) {
            return new NamespaceSpec(region, size, mode, uuid, name, sectorSize);
        }
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (!opt.args().isEmpty()) {
            throw new UsageError("unknown extra parameter \"" + opt.args().get(0) + "\"");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        String regionFilter = opt.isSet("region") ? opt.get("region") : null;
        boolean force = opt.isSet("force");
        Request request = request(opt);
        boolean human = stdoutIsTerminal.getAsBoolean();
        if (opt.isSet("reconfig")) {
            return reconfigure(opt.get("reconfig"), request, opt.isSet("mode"), busFilter, regionFilter, force, human);
        }
        boolean greedy = opt.isSet("continue");
        List<RegionDevice> candidates = targets.regions(busFilter, regionFilter);
        List<String> printed = new ArrayList<>();
        List<String> passedOver = new ArrayList<>();
        NvdimmException saved = null;
        for (RegionDevice device : candidates) {
            Optional<String> skip = unfit(device, request);
            if (skip.isPresent()) {
                passedOver.add(skip.get());
                if (opt.isSet("verbose")) {
                    err.println(skip.get() + ", skipping...");
                }
                continue;
            }
            try {
                NamespaceInfo created = targets.service().create(request.spec(Optional.of(device.name())));
                printed.add(Json.print(NamespaceJson.of(created, sectors.apply(created.dev()), false, human, false)));
                if (!greedy) {
                    break;
                }
            } catch (NvdimmException e) {
                if (e.errno() == Errno.ENOSPC) {
                    passedOver.add(e.detail()); // ndctl's EAGAIN: another region may have room
                    continue;
                }
                if (greedy && force) {
                    err.println("create namespace: " + e.getMessage());
                    saved = e;
                    continue;
                }
                err.println("created " + printed.size() + " namespace" + (printed.size() == 1 ? "" : "s"));
                throw e;
            }
        }
        err.println("created " + printed.size() + " namespace" + (printed.size() == 1 ? "" : "s"));
        if (saved != null) {
            throw saved;
        }
        if (printed.isEmpty()) {
            throw new NvdimmException(Errno.ENOSPC, "failed to create namespace: "
                    + (passedOver.isEmpty() ? "no region selected" : String.join("; ", passedOver)));
        }
        return String.join("\n", printed);
    }

    /** Why a region cannot take the namespace (ndctl's EAGAIN), or empty when it may. */
    private Optional<String> unfit(RegionDevice device, Request request) {
        Optional<Region> bound = targets.enabled(device.name());
        if (bound.isEmpty()) {
            return Optional.of(device.name() + ": disabled");
        }
        Region region = bound.get();
        Optional<NamespaceInfo> io = targets.namespacesOf(device.name()).stream().filter(n -> !n.labeled()).findFirst();
        if (io.isPresent()) {
            return Optional.of(device.name() + ": label-less, its namespace " + io.get().dev()
                    + " spans the region (reconfigure that with -e, or give the DIMMs labels with init-labels)");
        }
        long available = region.maxAvailableExtent();
        long size = request.size().orElse(available);
        if (available == 0 || size > available) {
            return Optional.of(device.name() + ": the largest free extent is " + available + " bytes"
                    + (request.size().isPresent() ? ", not " + size : ""));
        }
        if (request.size().isPresent()) {
            checkAlignment(region, size);
        }
        if (request.mode() == NamespaceMode.SECTOR && size < SECTOR_MODE_MIN) {
            if (request.size().isEmpty()) {
                return Optional.of(device.name() + ": under 16 MiB free, too small for sector mode");
            }
            throw new NvdimmException(Errno.EINVAL, "'--size=' must be >= 16MiB for 'sector' mode");
        }
        return Optional.empty();
    }

    /** ndctl's alignment checks, with its messages; like ndctl's they fail with EINVAL, not as usage errors. */
    private static void checkAlignment(Region region, long size) {
        long align = region.align();
        if (align > 0 && size % align != 0) {
            throw new NvdimmException(Errno.EINVAL, region.name() + ": align setting is 0x" + Long.toHexString(align) + " size 0x"
                    + Long.toHexString(size) + " is misaligned");
        }
        long width = PAGE * Math.max(1, region.interleaveWays());
        if (size % width != 0) {
            throw new NvdimmException(Errno.EINVAL, "'--size=' must align to interleave-width: " + region.interleaveWays()
                    + " and alignment: " + PAGE + "; did you intend --size=" + ((size / width + 1) * width) + "?");
        }
    }

    private Object reconfigure(String name, Request request, boolean modeGiven, String busFilter, String regionFilter,
            boolean force, boolean human) {
        NamespaceInfo ns = targets.namespaces(busFilter, regionFilter).stream()
                .filter(n -> n.dev().equals(name)).findFirst()
                .orElseThrow(() -> new NvdimmException(Errno.ENXIO, "failed to reconfigure namespace: " + name
                        + ": no such namespace" + (busFilter != null || regionFilter != null ? " in the regions selected" : "")));
        if (ns.enabled() && !force) {
            throw new NvdimmException(Errno.EBUSY, name + " is active, specify --force for re-configuration");
        }
        if (request.size().isPresent()) {
            targets.enabled(ns.region()).ifPresent(r -> checkAlignment(r, request.size().getAsLong()));
        }
        NamespaceMode mode = modeGiven ? request.mode() : ns.mode();
        if (mode == NamespaceMode.SECTOR && request.size().orElse(ns.size()) < SECTOR_MODE_MIN) {
            throw new NvdimmException(Errno.EINVAL, "'--size=' must be >= 16MiB for 'sector' mode");
        }
        Request effective = modeGiven ? request
                : new Request(ns.mode(), request.size(), request.uuid(), request.name(), request.sectorSize());
        NamespaceInfo done = targets.service().reconfigure(name, effective.spec(Optional.of(ns.region())), force);
        return Json.print(NamespaceJson.of(done, sectors.apply(done.dev()), false, human, false));
    }

    /** The arguments, checked as ndctl's {@code set_defaults} checks them. */
    private static Request request(Options opt) {
        NamespaceMode mode = NamespaceMode.RAW;
        if (opt.isSet("mode")) {
            mode = NamespaceMode.ofNdctlName(opt.get("mode"))
                    .orElseThrow(() -> new UsageError("invalid mode '" + opt.get("mode") + "'"));
        }
        OptionalLong size = OptionalLong.empty();
        if (opt.isSet("size")) {
            try {
                long s = Sizes.parse(opt.get("size"));
                size = s == 0 ? OptionalLong.empty() : OptionalLong.of(s); // ndctl: 0 is the default size
            } catch (IllegalArgumentException e) {
                throw new UsageError("failed to parse namespace size '" + opt.get("size") + "'");
            }
        }
        Optional<UUID> uuid = Optional.empty();
        if (opt.isSet("uuid")) {
            String text = opt.get("uuid");
            if (!UUID_TEXT.matcher(text).matches()) {
                throw new UsageError("failed to parse uuid: '" + text + "'");
            }
            uuid = Optional.of(UUID.fromString(text));
        }
        Optional<String> name = Optional.empty();
        if (opt.isSet("name")) {
            String text = opt.get("name");
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > NAME_BYTES) {
                throw new UsageError("alt name overflow: '" + text + "' is " + bytes + " bytes, at most "
                        + NAME_BYTES);
            }
            name = Optional.of(text);
        }
        OptionalInt sectorSize = OptionalInt.empty();
        if (opt.isSet("sector-size")) {
            try {
                long s = Sizes.parse(opt.get("sector-size"));
                if (s <= 0 || s > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException();
                }
                sectorSize = OptionalInt.of((int) s);
            } catch (IllegalArgumentException e) {
                throw new UsageError("invalid sector size: " + opt.get("sector-size"));
            }
        }
        return new Request(mode, size, uuid, name, sectorSize);
    }
}
