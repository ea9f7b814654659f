package nvdimm.app.internal;

import static nvdimm.app.internal.BadInputRow.asNdctl;
import static nvdimm.app.internal.BadInputRow.fails;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell's bad-input table: for every command the stack registers, statements with unknown devices,
 * wrong option values and {@code all} on empty sets, each with the exit code and the message it must
 * give. {@link ShellBadInputIT} runs them on the runtime {@link #SETUP} prepares and fails for a command
 * registered without rows here.
 *
 * <p>The runtime: bus {@code emul.default} (3 DIMMs of 32 MiB in files; {@code region0} over nmem0 and
 * nmem1 with v1.2 labels holding {@code namespace0.0} (raw, 16 MiB, named {@code kept}), {@code namespace0.1}
 * (sector, 16 MiB), {@code namespace0.2} (raw, 16 MiB, disabled); {@code region1} over nmem2, label-less),
 * bus {@code emul.empty} (one DIMM in memory, no regions), and the image {@code img} ({@code img.img},
 * 16 MiB, no labels). {@code WORK} in a line is the working directory of the run, where {@code img.img},
 * {@code labels-wrong-size.bin} (4 KiB), {@code labels-zero.bin} (128 KiB of zeros), {@code data.bin} (64 KiB) and {@code spare.img}
 * (16 MiB of zeros, not attached) lie.
 */
final class BadInputTable {

    private BadInputTable() {
    }

    /** ndctl's exit codes: a refused command line, and {@code 256 - errno}. */
    static final int USAGE = 129;
    static final int ENOENT = 256 - 2;
    static final int EINVAL = 256 - 22;
    static final int ENODEV = 256 - 19;
    static final int ENXIO = 256 - 6;
    static final int EBUSY = 256 - 16;
    static final int ENOSPC = 256 - 28;
    /** ndctl's label commands' EXIT_FAILURE. */
    static final int LABEL_FAILURE = 1;

    /** What the runtime holds before the rows run (one-shot statements; WORK is the working directory). */
    static final String SETUP = String.join("\n",
            "ndctl:disable-region region0",
            "ndctl:init-labels -V 1.2 nmem0 nmem1",
            "ndctl:enable-region region0",
            "ndctl:create-namespace -r region0 -s 16m -n kept",
            "ndctl:create-namespace -r region0 -s 16m -m sector",
            "ndctl:create-namespace -r region0 -s 16m",
            "ndctl:disable-namespace namespace0.2",
            "nvdimm:attach-image --label-size 0 --slot 1 -n img WORK/img.img");

    static final String LONG = "region" + "9".repeat(400);

    /**
     * Names that name nothing here, quoted for Gogo as typed, with what the message shows of each: a device
     * of every kind that does not exist, a path, the empty name, a very long one, non-ASCII letters, shell
     * metacharacters, and a real name with a trailing blank.
     */
    static final List<String[]> NOBODY = List.of(
            new String[] {"region99", "region99"},
            new String[] {"namespace9.9", "namespace9.9"},
            new String[] {"nmem42", "nmem42"},
            new String[] {"ndbus7", "ndbus7"},
            new String[] {"../x", "../x"},
            new String[] {"''", "''"},
            new String[] {LONG, LONG},
            new String[] {"'régión0'", "régión0"},
            new String[] {"'r0;$x|`id`&'", "r0;$x|`id`&"},
            new String[] {"'namespace0.0 '", "namespace0.0 "});

    /**
     * A row naming {@code n} where a device belongs: refused naming it and the problem, or, for the empty
     * name, refused as empty before anything is looked up (an empty filter once matched every device).
     */
    private static BadInputRow nobody(String before, String[] n, String after, int exit, String... problem) {
        String line = before + n[0] + after;
        if (n[0].equals("''")) {
            return fails(line, USAGE, "''", "empty");
        }
        String[] says = new String[problem.length + 1];
        says[0] = n[1].replace("../", ""); // a file name shows resolved
        System.arraycopy(problem, 0, says, 1, problem.length);
        return fails(line, exit, says);
    }

    static List<BadInputRow> rows() {
        List<BadInputRow> rows = new ArrayList<>();
        list(rows);
        dimmsAndRegions(rows);
        scrub(rows);
        errors(rows);
        createNamespace(rows);
        namespaceActions(rows);
        infoblockAndCheck(rows);
        labels(rows);
        nvdimm(rows);
        images(rows);
        lockdep(rows);
        virtio(rows);
        emptied(rows);
        // a line the generic names produce again keeps its first, more specific, row
        Map<String, BadInputRow> once = new LinkedHashMap<>();
        rows.forEach(r -> once.putIfAbsent(r.line() + (r.emptied() ? " (emptied)" : ""), r));
        return List.copyOf(once.values());
    }

    /** What the test runs before the {@link BadInputRow#emptied} rows: every namespace of region0 destroyed. */
    static final String EMPTYING = "ndctl:destroy-namespace -f all -r region0";

    private static void emptied(List<BadInputRow> rows) {
        String ll = "ndctl: 'all' that selects nothing counts 0, exit 0 (ll.out: destroy-namespace -f all)";
        rows.add(asNdctl("ndctl:destroy-namespace -f all -r region0", ll, "destroyed 0 namespaces").afterEmptying());
        rows.add(asNdctl("ndctl:destroy-namespace all -r region0", ll, "destroyed 0 namespaces").afterEmptying());
        rows.add(asNdctl("ndctl:enable-namespace all -r region0", ll, "enabled 0 namespaces").afterEmptying());
        rows.add(asNdctl("ndctl:disable-namespace all -r region0", ll, "disabled 0 namespaces").afterEmptying());
        rows.add(asNdctl("ndctl:check-namespace all", "ndctl: no sector namespace to check, 0 checked, exit 0",
                "checked 0 namespaces").afterEmptying());
        rows.add(fails("ndctl:destroy-namespace namespace0.1", ENXIO, "namespace0.1: no such namespace").afterEmptying());
        rows.add(fails("ndctl:inject-error namespace0.0 -B 1", ENXIO, "namespace0.0", "no such namespace").afterEmptying());
        rows.add(fails("ndctl:clear-errors namespace0.1", ENXIO, "namespace0.1: no such namespace").afterEmptying());
        rows.add(fails("ndctl:read-infoblock namespace0.1", ENXIO, "namespace0.1: no such namespace").afterEmptying());
        rows.add(fails("ndctl:check-namespace namespace0.1", ENXIO, "namespace0.1").afterEmptying());
        rows.add(fails("ndctl:create-namespace -e namespace0.1 -m raw", ENXIO, "namespace0.1: no such namespace").afterEmptying());
        rows.add(fails("nvdimm:dd if=pmem0.1s of=WORK/out.bin", ENODEV, "pmem0.1s: no such block device").afterEmptying());
    }

    private static void list(List<BadInputRow> rows) {
        rows.add(fails("ndctl:list -r region99", USAGE, "region99: no such region"));
        rows.add(fails("ndctl:list -b ndbus7", USAGE, "ndbus7: no such bus"));
        rows.add(fails("ndctl:list -d nmem42", USAGE, "nmem42: no such DIMM"));
        rows.add(fails("ndctl:list -n namespace9.9", USAGE, "namespace9.9: no such namespace"));
        for (String[] n : NOBODY) {
            rows.add(nobody("ndctl:list -r ", n, "", USAGE, "no such region"));
            rows.add(nobody("ndctl:list -n ", n, "", USAGE, "no such namespace"));
        }
        rows.add(fails("ndctl:list -m bogus", USAGE, "invalid mode: 'bogus'"));
        rows.add(fails("ndctl:list -R extra", USAGE, "unknown parameter \"extra\""));
        rows.add(fails("ndctl:list -r", USAGE, "option 'r' requires an argument"));
        rows.add(fails("ndctl:list -r region0 -r region1", USAGE, "--region", "given twice"));
        rows.add(asNdctl("ndctl:list -R -b emul.empty", "a bus without regions lists nothing and exits 0"));
        rows.add(asNdctl("ndctl:list -N -b emul.empty", "a bus without namespaces lists nothing and exits 0"));
    }

    private static void dimmsAndRegions(List<BadInputRow> rows) {
        for (String verb : List.of("enable", "disable")) {
            String dimm = "ndctl:" + verb + "-dimm";
            String region = "ndctl:" + verb + "-region";
            rows.add(fails(dimm + " nmem42", USAGE, "nmem42: no such DIMM"));
            rows.add(fails(dimm + " region0", USAGE, "region0: no such DIMM"));
            rows.add(fails(region + " region99", USAGE, "region99: no such region"));
            rows.add(fails(region + " nmem0", USAGE, "nmem0: no such region"));
            for (String[] n : NOBODY) {
                rows.add(nobody(dimm + " ", n, "", USAGE, "no such DIMM"));
                rows.add(nobody(region + " ", n, "", USAGE, "no such region"));
            }
            rows.add(fails(dimm, USAGE, "name at least one DIMM"));
            rows.add(fails(region, USAGE, "name at least one region"));
            rows.add(fails(dimm + " all -b ndbus7", USAGE, "ndbus7: no such bus"));
            rows.add(fails(region + " all -b ndbus7", USAGE, "ndbus7: no such bus"));
            rows.add(fails(region + " all -b ''", USAGE, "--bus is empty"));
            rows.add(fails(region + " region0 region99", USAGE, "region99: no such region"));
            rows.add(fails(region + " all -b emul.default -b emul.empty", USAGE, "--bus", "given twice"));
            rows.add(asNdctl(region + " all -b emul.empty", "ndctl: 0 regions, exit 0", verb + "d 0 regions"));
            rows.add(fails(region + " region0 -b emul.img", USAGE, "region0: no such region on bus emul.img"));
        }
    }

    private static void scrub(List<BadInputRow> rows) {
        for (String cmd : List.of("ndctl:start-scrub", "ndctl:wait-scrub")) {
            rows.add(fails(cmd + " ndbus7", USAGE, "ndbus7: no such bus"));
            for (String[] n : NOBODY) {
                rows.add(nobody(cmd + " ", n, "", USAGE, "no such bus"));
            }
            rows.add(fails(cmd + " emul.default ndbus7", USAGE, "ndbus7: no such bus"));
        }
    }

    private static void errors(List<BadInputRow> rows) {
        String inject = "ndctl:inject-error";
        rows.add(fails(inject + " namespace9.9 -B 1", ENXIO, "namespace9.9: no such namespace"));
        rows.add(fails(inject + " region99 -B 1", ENODEV, "region99: no such region"));
        rows.add(fails(inject + " nmem0 -B 1", ENODEV, "nmem0: no such region"));
        for (String[] n : NOBODY) {
            rows.add(nobody(inject + " ", n, " -B 1", targetExit(n), "no such"));
        }
        rows.add(fails(inject + " namespace0.2 -B 1", ENXIO, "namespace0.2: the namespace is disabled"));
        rows.add(fails(inject + " namespace0.0", USAGE, "-B/--block"));
        rows.add(fails(inject, USAGE, "name the namespace or region"));
        rows.add(fails(inject + " namespace0.0 region0 -B 1", USAGE, "give one namespace or region"));
        rows.add(fails(inject + " namespace0.0 -B -1", USAGE, "block", "-1"));
        rows.add(fails(inject + " namespace0.0 -B x", USAGE, "block 'x' is not a number"));
        rows.add(fails(inject + " namespace0.0 -B 1x", USAGE, "block", "1x"));
        rows.add(fails(inject + " namespace0.0 -B 99999999999999999999", USAGE, "block 99999999999999999999 is too large"));
        rows.add(fails(inject + " namespace0.0 -B １", USAGE, "block '１' is not a number"));
        rows.add(fails(inject + " namespace0.0 -B 2 -n 9223372036854775807", USAGE,
                "namespace0.0: blocks 2..9223372036854775808 are beyond its 32768 blocks"));
        rows.add(fails(inject + " namespace0.0 -B 32768", USAGE, "namespace0.0: blocks 32768..32768 are beyond its 32768 blocks"));
        rows.add(fails(inject + " namespace0.0 -B 9223372036854775807", USAGE, "namespace0.0", "beyond"));
        rows.add(fails(inject + " namespace0.0 -B 1 -n 0", USAGE, "count must be at least 1, not 0"));
        rows.add(fails(inject + " namespace0.0 -B 1 -n -3", USAGE, "count", "-3"));
        rows.add(fails(inject + " namespace0.0 -B 1 -n 9223372036854775807", USAGE, "namespace0.0", "beyond"));
        rows.add(fails(inject + " namespace0.0 -B 1 -n x", USAGE, "count 'x' is not a number"));
        rows.add(fails(inject + " namespace0.0 -B 1 -B 2", USAGE, "--block", "given twice"));
        rows.add(fails(inject + " namespace0.0 -t -B 1", USAGE, "status is invalid with inject or uninject"));
        rows.add(BadInputRow.documented(inject + " namespace0.0 -B 0 -d", "nothing injected there: says so, as ndctl",
                "namespace0.0: no injected errors in blocks 0..0, nothing to uninject"));

        String clear = "ndctl:clear-errors";
        rows.add(fails(clear + " namespace9.9", ENXIO, "namespace9.9: no such namespace"));
        rows.add(fails(clear + " region99", ENODEV, "region99: no such region"));
        for (String[] n : NOBODY) {
            rows.add(nobody(clear + " ", n, "", targetExit(n), "no such"));
        }
        rows.add(fails(clear, USAGE, "name the namespace or region"));
        rows.add(fails(clear + " all", ENODEV, "all: no such region"));
        rows.add(fails(inject + " all -B 1", ENODEV, "all: no such region"));
        rows.add(fails(clear + " namespace0.0 namespace0.1", USAGE, "give one namespace or region"));
        rows.add(fails(clear + " namespace0.2", ENXIO, "namespace0.2: the namespace is disabled"));
    }

    /**
     * inject-error and clear-errors: a name that is no namespace is taken for a region (ENODEV, as flush
     * says); a namespace that does not exist is ENXIO, as ndctl's inject-error and clear-errors say.
     */
    private static int targetExit(String[] n) {
        return n[1].startsWith("namespace") ? ENXIO : ENODEV;
    }

    private static void createNamespace(List<BadInputRow> rows) {
        String create = "ndctl:create-namespace";
        rows.add(fails(create + " -r region0 -m bogus", USAGE, "invalid mode 'bogus'"));
        rows.add(fails(create + " -r region0 -m ''", USAGE, "--mode is empty"));
        rows.add(fails(create + " -r region0 -s 1x", USAGE, "failed to parse namespace size '1x'"));
        rows.add(fails(create + " -r region0 -s x", USAGE, "failed to parse namespace size 'x'"));
        rows.add(fails(create + " -r region0 -s -16m", USAGE, "failed to parse namespace size '-16m'"));
        rows.add(fails(create + " -r region0 -s 99999999999999999999", USAGE, "failed to parse namespace size '99999999999999999999'"));
        rows.add(fails(create + " -r region0 -s 16777216t", USAGE, "failed to parse namespace size '16777216t'"));
        rows.add(fails(create + " -r region0 -s １６m", USAGE, "failed to parse namespace size '１６m'"));
        rows.add(fails(create + " -r region0 -s 0x", USAGE, "failed to parse namespace size '0x'"));
        rows.add(fails(create + " -r region0 -s 4k", EINVAL, "region0", "misaligned"));
        rows.add(fails(create + " -r region0 -s 1t", ENOSPC, "region0", "largest free extent"));
        rows.add(fails(create + " -r region0 -s 16m -s 32m", USAGE, "--size", "given twice"));
        rows.add(fails(create + " -r region0 -u notauuid", USAGE, "failed to parse uuid: 'notauuid'"));
        rows.add(fails(create + " -r region0 -n " + "n".repeat(64), USAGE, "alt name overflow"));
        rows.add(fails(create + " -r region0 -l 12x", USAGE, "invalid sector size: 12x"));
        rows.add(fails(create + " -r region0 -l 0", USAGE, "invalid sector size: 0"));
        rows.add(fails(create + " -r region0 -l -512", USAGE, "invalid sector size: -512"));
        rows.add(fails(create + " -r region0 -m sector -l 1000", EINVAL, "1000"));
        rows.add(fails(create + " -r region0 -m sector -s 8m", EINVAL, "region0: align setting is 0x1000000 size 0x800000 is misaligned"));
        rows.add(fails(create + " -r region0 -m fsdax", 256 - 95, "supported modes are raw and sector"));
        rows.add(fails(create + " -r region99", USAGE, "region99: no such region"));
        rows.add(fails(create + " -b ndbus7", USAGE, "ndbus7: no such bus"));
        for (String[] n : NOBODY) {
            rows.add(nobody(create + " -r ", n, "", USAGE, "no such region"));
            rows.add(nobody(create + " -e ", n, "", ENXIO, "no such namespace"));
        }
        rows.add(fails(create + " -r region1", ENOSPC, "region1", "label-less"));
        // ndctl reads a size of 0 as no size given (the largest free extent): refused here only by the region
        rows.add(fails(create + " -r region1 -s 0", ENOSPC, "region1", "label-less"));
        rows.add(fails(create + " extra", USAGE, "unknown extra parameter \"extra\""));
        rows.add(fails(create + " -r", USAGE, "option 'r' requires an argument"));
        rows.add(fails(create + " -e namespace9.9", ENXIO, "namespace9.9: no such namespace"));
        rows.add(fails(create + " -e namespace0.0 -m sector", EBUSY, "namespace0.0 is active, specify --force"));
        rows.add(fails(create + " -f -e namespace0.0 -s 12x", USAGE, "failed to parse namespace size '12x'"));
        // a forced reconfiguration that cannot be done is refused before the namespace is taken down
        rows.add(fails(create + " -f -e namespace0.0 -m sector -l 1000", EINVAL, "sector size 1000"));
        rows.add(fails(create + " -f -e namespace0.0 -s 1t", ENOSPC, "namespace0.0"));
        rows.add(fails(create + " -f -e namespace0.1 -m raw -l 520", EINVAL,
                "namespace0.1: sector size 520 is not supported by a raw namespace (512 or 4096)"));
        rows.add(fails(create + " -r region0 -s 16m -m raw -l 520", EINVAL,
                "region0: sector size 520 is not supported by a raw namespace (512 or 4096)"));
        rows.add(fails(create + " -b emul.empty", ENOSPC, "failed to create namespace: no region selected"));
        rows.add(fails(create + " -c -b emul.empty", ENOSPC, "failed to create namespace: no region selected"));
    }

    private static void namespaceActions(List<BadInputRow> rows) {
        for (String verb : List.of("destroy", "enable", "disable")) {
            String cmd = "ndctl:" + verb + "-namespace";
            String done = verb + (verb.endsWith("e") ? "d" : "ed");
            rows.add(fails(cmd + " namespace9.9", ENXIO, "namespace9.9: no such namespace", done + " 0 namespaces"));
            rows.add(fails(cmd + " region0", ENXIO, "region0: no such namespace"));
            for (String[] n : NOBODY) {
                rows.add(nobody(cmd + " ", n, "", ENXIO, "no such namespace"));
            }
            rows.add(fails(cmd, USAGE, "specify a namespace to " + verb + ", or \"all\""));
            rows.add(fails(cmd + " namespace0.0 namespace0.1", USAGE, "unknown extra parameter \"namespace0.1\""));
            rows.add(fails(cmd + " all -r region99", USAGE, "region99: no such region"));
            rows.add(fails(cmd + " all -b ndbus7", USAGE, "ndbus7: no such bus"));
            rows.add(fails(cmd + " all -r ''", USAGE, "--region is empty"));
            rows.add(fails(cmd + " namespace0.0 -r region1", ENXIO, "namespace0.0: no such namespace in the regions selected"));
            rows.add(asNdctl(cmd + " all -b emul.empty", "ndctl: 'all' that selects nothing counts 0, exit 0 (ll.out, "
                    + "destroy-namespace -f all)", done + " 0 namespaces"));
        }
        rows.add(fails("ndctl:destroy-namespace namespace0.0", EBUSY, "namespace0.0 is active, specify --force"));
    }

    private static void infoblockAndCheck(List<BadInputRow> rows) {
        String read = "ndctl:read-infoblock";
        rows.add(fails(read + " namespace9.9", ENXIO, "namespace9.9: no such namespace"));
        for (String[] n : NOBODY) {
            rows.add(nobody(read + " ", n, "", ENXIO, "no such namespace"));
        }
        rows.add(fails(read, USAGE, "namespace"));
        rows.add(fails(read + " namespace0.0", EINVAL, "namespace0.0: no BTT info block"));
        rows.add(fails(read + " -o WORK/no/such/dir/x namespace0.1", ENOENT, "failed to open: WORK/no/such/dir/x: (No such file or directory)"));
        rows.add(fails(read + " -o WORK namespace0.1", 256 - 21, "failed to open: WORK: (Is a directory)"));
        rows.add(fails(read + " -o /dev/full namespace0.1", ENOSPC, "failed to open: /dev/full: (No space left on device)"));

        String check = "ndctl:check-namespace";
        rows.add(fails(check + " namespace9.9", ENXIO, "namespace9.9"));
        for (String[] n : NOBODY) {
            rows.add(nobody(check + " ", n, "", ENXIO));
        }
        rows.add(fails(check, USAGE, "specify a namespace, or all"));
        rows.add(fails(check + " -L namespace0.1", USAGE, "--rewrite-log needs --repair"));
        rows.add(fails(check + " -R namespace9.9", ENXIO, "namespace9.9: no such namespace"));
        rows.add(fails(check + " all -r region99", USAGE, "region99: no such region"));
        rows.add(fails(check + " all -b ndbus7", USAGE, "ndbus7: no such bus"));
        rows.add(fails(check + " namespace0.1", EBUSY, "namespace0.1: check aborted, namespace online"));
        rows.add(fails(check + " -f namespace0.0", ENXIO, "namespace0.0", "not a sector mode namespace"));
        rows.add(asNdctl(check + " all -b emul.empty", "ndctl: 'all' that selects nothing checks 0 namespaces, exit 0",
                "checked 0 namespaces"));
    }

    private static void labels(List<BadInputRow> rows) {
        for (String action : List.of("init", "zero", "check")) {
            String cmd = "ndctl:" + action + "-labels";
            rows.add(fails(cmd + " nmem42", USAGE, "nmem42: no such DIMM"));
            for (String[] n : NOBODY) {
                rows.add(nobody(cmd + " ", n, "", USAGE, "no such DIMM"));
            }
            rows.add(fails(cmd, USAGE, "name at least one DIMM"));
            rows.add(fails(cmd + " all -b ndbus7", USAGE, "ndbus7: no such bus"));
            rows.add(fails(cmd + " nmem2", LABEL_FAILURE, "nmem2", "label"));
        }
        for (String action : List.of("init", "zero", "check", "read")) {
            rows.add(fails("ndctl:" + action + "-labels all -b emul.empty", LABEL_FAILURE, "no label area"));
        }
        rows.add(fails("ndctl:disable-dimm nmem0", EBUSY, "nmem0 is active, skipping", "disabled 0 nmem"));
        rows.add(fails("ndctl:init-labels nmem0", LABEL_FAILURE, "nmem0: regions active, abort label write", "initialized 0 nmem"));
        rows.add(fails("ndctl:zero-labels nmem0", LABEL_FAILURE, "nmem0: regions active, abort label write", "zeroed 0 nmem"));
        rows.add(fails("ndctl:init-labels -V 1.3 nmem0", LABEL_FAILURE, "'1.3' is not a valid label version (1.1 or 1.2)"));
        rows.add(fails("ndctl:init-labels -V x nmem0", LABEL_FAILURE, "'x' is not a valid label version (1.1 or 1.2)"));
        rows.add(fails("ndctl:init-labels -V 1.1 -V 1.2 nmem0", USAGE, "--label-version", "given twice"));

        String read = "ndctl:read-labels";
        rows.add(fails(read + " nmem42", USAGE, "nmem42: no such DIMM"));
        for (String[] n : NOBODY) {
            rows.add(nobody(read + " ", n, "", USAGE, "no such DIMM"));
        }
        rows.add(fails(read, USAGE, "name at least one DIMM"));
        rows.add(fails(read + " -o WORK/no/such/dir/x nmem0", LABEL_FAILURE, "failed to open: WORK/no/such/dir/x: (No such file or directory)"));
        rows.add(fails(read + " nmem2", LABEL_FAILURE, "nmem2", "label"));
        rows.add(fails(read + " -o /dev/full nmem0", LABEL_FAILURE, "failed to open: /dev/full: (No space left on device)"));

        String write = "ndctl:write-labels";
        rows.add(fails(write + " nmem42 -i WORK/labels-wrong-size.bin", USAGE, "nmem42: no such DIMM"));
        for (String[] n : NOBODY) {
            rows.add(nobody(write + " ", n, " -i WORK/labels-wrong-size.bin", USAGE, "no such DIMM"));
        }
        rows.add(fails(write + " nmem0", USAGE, "give the label area's file with -i FILE"));
        rows.add(fails(write + " -i WORK/labels-wrong-size.bin", USAGE, "name at least one DIMM"));
        rows.add(fails(write + " nmem0 nmem1 -i WORK/labels-wrong-size.bin", USAGE, "single dimm"));
        rows.add(fails(write + " nmem0 -i WORK/missing.bin", LABEL_FAILURE, "WORK/missing.bin", "No such file"));
        rows.add(fails(write + " nmem0 -i WORK/labels-wrong-size.bin", LABEL_FAILURE, "nmem0: the input has 4096 bytes, the label area 131072"));
        rows.add(fails(write + " nmem0 -i WORK/labels-zero.bin", LABEL_FAILURE, "nmem0"));
        rows.add(fails(write + " nmem0 -i /dev/zero", LABEL_FAILURE, "nmem0: the input has more than 131072 bytes, the label area's size"));
        rows.add(fails(write + " nmem2 -i WORK/labels-wrong-size.bin", LABEL_FAILURE, "nmem2", "label"));
        rows.add(fails(write + " nmem0 -i ''", USAGE, "--input is empty"));
    }

    private static void nvdimm(List<BadInputRow> rows) {
        for (String cmd : List.of("nvdimm:flush", "nvdimm:deep-flush")) {
            rows.add(fails(cmd + " region99", ENODEV, "region99: no such region"));
            rows.add(fails(cmd + " all", ENODEV, "all: no such region"));
            for (String[] n : NOBODY) {
                rows.add(nobody(cmd + " ", n, "", ENODEV, "no such region"));
            }
            rows.add(fails(cmd, USAGE, "name the region"));
        }
        rows.add(fails("nvdimm:flush region0 region1", USAGE, "give one region"));
        rows.add(fails("nvdimm:deep-flush region0 2", USAGE, "deep_flush takes 1 or true (a flush), not '2'"));
        rows.add(fails("nvdimm:deep-flush region99 1", ENODEV, "region99: no such region"));
        rows.add(fails("nvdimm:deep-flush region0 1 1", USAGE, "too many arguments"));

        String dd = "nvdimm:dd";
        rows.add(fails(dd + " if=pmem99 of=WORK/out.bin", ENODEV, "pmem99: no such block device"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem99", ENODEV, "pmem99: no such block device"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0.9s", ENODEV, "pmem0.9s: no such block device"));
        for (String[] n : NOBODY) { // a name that is no device is a host file: one that is not there
            if (!n[0].equals("''") && !n[0].equals(LONG)) {
                rows.add(fails(dd + " if=" + n[0] + " of=WORK/out.bin", ENOENT, n[1].replace("../", "") + ": no such file or block device"));
            }
        }
        rows.add(fails(dd + " if=" + LONG + " of=WORK/out.bin", 1, LONG, "File name too long"));
        rows.add(fails(dd + " if=WORK/data.bin", USAGE, "give both if= and of="));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=0", USAGE, "bs=0: a block must be 1 byte to 1G"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=-1", USAGE, "bs=-1"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=1x", USAGE, "bs=1x: not a number"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=99999999999999999999", USAGE, "bs=99999999999999999999: too large"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 count=x", USAGE, "count=x: not a number"));
        rows.add(BadInputRow.documented(dd + " if=WORK/data.bin of=pmem0 count=0", "as dd: no block to copy, nothing written",
                "0 bytes copied"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 seek=-1", USAGE, "seek=-1"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=1g seek=9999999999", USAGE, "seek=9999999999", "too large"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=4k seek=4096", ENOSPC, "pmem0: 65536 bytes at offset 16777216 go past its end (16777216 bytes)"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=100", EINVAL, "pmem0", "sector"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 bs=4k bs=8k", USAGE, "bs= given twice"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 speed=9", USAGE, "unknown operand 'speed=9'"));
        rows.add(fails(dd + " if= of=pmem0", USAGE, "if= needs a value"));
        rows.add(fails(dd + " if=WORK/missing.bin of=pmem0", ENOENT, "WORK/missing.bin"));
        rows.add(fails(dd + " if=/dev/zero of=pmem0 bs=4k count=1", EINVAL, "/dev/zero: not a regular file"));
        rows.add(fails(dd + " if=WORK/data.bin of=pmem0 oops", USAGE, "oops"));

        rows.add(fails("nvdimm:completion extra", USAGE, "takes no arguments"));
        rows.add(fails("nvdimm:__complete extra", USAGE, "takes no arguments"));
        rows.add(fails("ndctl:help no-such-command", USAGE, "no command 'no-such-command'"));
        rows.add(fails("ndctl:help list create-namespace", USAGE, "give one command"));
        rows.add(fails("ndctl:help -x list", USAGE, "help: invalid option '-x'"));
    }

    private static void images(List<BadInputRow> rows) {
        String attach = "nvdimm:attach-image";
        rows.add(fails(attach + " WORK/missing.img", ENOENT, "WORK/missing.img"));
        rows.add(fails(attach + " WORK", 256 - 21, "WORK: cannot attach a directory"));
        rows.add(fails(attach, USAGE, "name the image FILE"));
        rows.add(fails(attach + " WORK/img.img", 256 - 17, "emul.img: a bus of that name is already attached"));
        rows.add(fails(attach + " --slot x WORK/spare.img", USAGE, "slot 'x' is not a number"));
        rows.add(fails(attach + " --slot -1 WORK/spare.img", EINVAL, "slot -1 is outside 0..255"));
        rows.add(fails(attach + " --slot 99999999999 WORK/spare.img", USAGE, "slot 99999999999 is outside 0..255"));
        rows.add(fails(attach + " --slot １ WORK/spare.img", USAGE, "slot '１' is not a number"));
        rows.add(fails(attach + " --slot 1 WORK/spare.img", EBUSY, "QEMU slot 1 is already taken by emul.img"));
        rows.add(fails(attach + " --label-size x WORK/spare.img", EINVAL, "label size 'x': not a size"));
        rows.add(fails(attach + " --label-size 1k WORK/spare.img", EINVAL, "label size 1024 is neither 0 nor at least 131072"));
        rows.add(fails(attach + " --label-size -128k WORK/spare.img", EINVAL, "label size '-128k': not a size"));
        rows.add(fails(attach + " -n '../x' WORK/spare.img", EINVAL, "name '../x': use letters, digits"));
        rows.add(fails(attach + " -n '' WORK/spare.img", USAGE, "--name is empty"));
        rows.add(fails(attach + " -n img --label-size 0 WORK/spare.img", 256 - 17, "emul.img: a bus of that name is already attached"));
        rows.add(fails(attach + " WORK/spare.img WORK/img.img", USAGE, "give one FILE"));

        String detach = "nvdimm:detach-image";
        rows.add(fails(detach + " nosuchimage", ENOENT, "nosuchimage: no image is attached by that name or file"));
        for (String[] n : NOBODY) { // a name no image has is taken for a file, shown resolved
            rows.add(nobody(detach + " ", n, "", ENOENT, "no image is attached by that name or file"));
        }
        rows.add(fails(detach, USAGE, "name the image"));
        rows.add(fails(detach + " img img", USAGE, "give one image"));

        String check = "nvdimm:check-image";
        rows.add(fails(check + " WORK/missing.img", ENOENT, "WORK/missing.img"));
        rows.add(fails(check, USAGE, "name the image FILE"));
        rows.add(fails(check + " -L WORK/spare.img", USAGE, "--rewrite-log needs --repair"));
        rows.add(fails(check + " --label-size x WORK/spare.img", EINVAL, "label size 'x': not a size"));
        rows.add(fails(check + " WORK/img.img", EBUSY, "WORK/img.img: already in use by bus emul.img"));
        rows.add(fails(check + " --label-size 0 WORK/data.bin", 256 - 6, "data.bin"));
        rows.add(fails(check + " WORK/spare.img WORK/img.img", USAGE, "give one FILE"));
    }

    private static void lockdep(List<BadInputRow> rows) {
        rows.add(fails("lockdep:status extra", USAGE, "takes no arguments, not [extra]"));
        rows.add(fails("lockdep:reports extra", USAGE, "takes no arguments, not [extra]"));
        rows.add(fails("lockdep:reset extra", USAGE, "takes no arguments, not [extra]"));
        rows.add(fails("lockdep:mode bogus", USAGE, "bogus"));
        rows.add(fails("lockdep:mode ''", USAGE, "an empty argument ('') names nothing"));
        rows.add(fails("lockdep:mode warn throw", USAGE, "give one mode"));
        rows.add(fails("lockdep:graph a b", USAGE, "give one lock class"));
        rows.add(BadInputRow.documented("lockdep:graph no.such.Class", "a class name filters the recorded dependencies;"
                + " the validator keeps no list of classes to refuse an unknown one against", "no dependencies of class no.such.Class"));
    }

    /** The runtime has no virtio-pmem device: every name is unknown; the command lines are checked first. */
    private static void virtio(List<BadInputRow> rows) {
        String none = "no such virtio-pmem device; there are no virtio-pmem devices";
        rows.add(fails("virtio:status nosuch", ENODEV, "nosuch: " + none));
        rows.add(fails("virtio:status a b", USAGE, "give at most one device"));
        rows.add(fails("virtio:status ''", USAGE, "an empty argument ('') names nothing"));
        rows.add(fails("virtio:inject", USAGE, "give a virtio device name and a fault"));
        rows.add(fails("virtio:inject vp0", USAGE, "give a fault"));
        rows.add(fails("virtio:inject vp0 melt", USAGE, "unknown virtio fault 'melt'"));
        rows.add(fails("virtio:inject vp0 delay", USAGE, "delay needs a duration in milliseconds"));
        rows.add(fails("virtio:inject vp0 delay soon", USAGE, "delay duration 'soon' is not a whole number"));
        rows.add(fails("virtio:inject vp0 late 99999999999999999999", USAGE, "late duration"));
        rows.add(fails("virtio:inject vp0 break now", USAGE, "break takes no value"));
        rows.add(fails("virtio:inject vp0 fail-flush --count 0", USAGE, "count must be 1 to"));
        rows.add(fails("virtio:inject vp0 silent --count 2", USAGE, "--count goes with fail-flush or kick-fail"));
        rows.add(fails("virtio:inject nosuch break", ENODEV, "nosuch: " + none));
        rows.add(fails("virtio:clear", USAGE, "give a virtio device name"));
        rows.add(fails("virtio:clear nosuch", ENODEV, "nosuch: " + none));
        rows.add(fails("virtio:clear a b", USAGE, "too many arguments"));
    }
}
