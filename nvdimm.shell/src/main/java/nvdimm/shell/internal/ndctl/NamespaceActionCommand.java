package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl destroy-namespace|enable-namespace|disable-namespace <namespace>|all}, as ndctl's
 * {@code do_xaction_namespace} runs them: every selected namespace is tried in bus, region, namespace
 * order; {@code all} never takes a region's idle seed (size 0); the count goes to stderr
 * ({@code destroyed 1 namespace}, {@code enabled 2 namespaces}) and the outcome is the last
 * namespace's, as in ndctl: the command fails when the last one tried failed, and a name that matches
 * nothing fails with ENXIO, while {@code all} that matches nothing succeeds with a count of 0.
 * Destroying an enabled namespace needs {@code -f} ({@code namespace0.0 is active, specify --force for
 * re-configuration}, EBUSY, nothing asked of the service); a seed named explicitly is skipped, not
 * counted.
 */
final class NamespaceActionCommand implements Subcommand {

    /** What the command does to each namespace. */
    enum Action {
        DESTROY("destroy", "destroyed", "destroy namespaces: remove their labels and free their capacity"),
        ENABLE("enable", "enabled", "enable namespaces (bind the namespace driver; their block devices appear)"),
        DISABLE("disable", "disabled", "disable namespaces until enabled again or the next restart");

        private final String verb;
        private final String done;
        private final String description;

        Action(String verb, String done, String description) {
            this.verb = verb;
            this.done = done;
            this.description = description;
        }
    }

    private final NamespaceTargets targets;
    private final Action action;

    NamespaceActionCommand(NamespaceTargets targets, Action action) {
        this.targets = targets;
        this.action = action;
    }

    @Override
    public Usage usage() {
        String force = "  -f --force          destroy even an enabled namespace (it is disabled first)";
        String[] common = {
            "  -r --region=REGION  limit to a region: regionN, N, or all",
            "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
            "  -v --verbose        name each namespace as it is done"};
        String[] options = action == Action.DESTROY
                ? new String[] {common[0], common[1], force, common[2]} : common;
        return new Usage(action.verb + "-namespace", action.description, "<namespace>|all [<options>]", options);
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().isEmpty()) {
            throw new UsageError("specify a namespace to " + action.verb + ", or \"all\"");
        }
        if (opt.args().size() > 1) {
            throw new UsageError("unknown extra parameter \"" + opt.args().get(1) + "\"");
        }
        String name = opt.args().get(0);
        boolean all = name.equals("all");
        boolean force = action == Action.DESTROY && opt.isSet("force");
        List<NamespaceInfo> candidates = targets.namespaces(opt.isSet("bus") ? opt.get("bus") : null,
                opt.isSet("region") ? opt.get("region") : null);
        List<NamespaceInfo> selected = candidates.stream()
                .filter(n -> all ? !isSeed(n) : n.dev().equals(name)).toList();
        Namespaces service = targets.service();
        int done = 0;
        NvdimmException last = null;
        if (!all && selected.isEmpty()) {
            last = new NvdimmException(Errno.ENXIO, name + ": no such namespace"
                    + (opt.isSet("region") || opt.isSet("bus") ? " in the regions selected" : ""));
        }
        for (NamespaceInfo ns : selected) {
            try {
                switch (action) {
                    case DESTROY -> {
                        if (isSeed(ns)) {
                            report(last, err);
                            last = null; // ndctl: nothing allocated, nothing to report
                            continue;
                        }
                        if (ns.enabled() && !force) {
                            throw new NvdimmException(Errno.EBUSY, ns.dev()
                                    + " is active, specify --force for re-configuration");
                        }
                        service.destroy(ns.dev(), force);
                    }
                    case ENABLE -> service.enable(ns.dev());
                    case DISABLE -> service.disable(ns.dev());
                }
                done++;
                report(last, err);
                last = null;
                if (opt.isSet("verbose")) {
                    err.println(action.done + " " + ns.dev());
                }
            } catch (NvdimmException e) {
                report(last, err);
                last = e;
            }
        }
        err.println(action.done + " " + done + " namespace" + (done == 1 ? "" : "s"));
        if (last != null) {
            throw last;
        }
        return null;
    }

    /**
     * Prints a failure that the command will not end with (a later namespace was tried); the one it
     * ends with is its own failure's message, printed once by the shell.
     */
    private void report(NvdimmException passed, PrintStream err) {
        if (passed != null) {
            err.println(action.verb + " namespace: " + passed.getMessage());
        }
    }

    /** A region's idle seed: no capacity (and so no uuid), which {@code all} never takes. */
    static boolean isSeed(NamespaceInfo ns) {
        return ns.seed() || ns.size() == 0;
    }
}
