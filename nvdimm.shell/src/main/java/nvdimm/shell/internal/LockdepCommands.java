package nvdimm.shell.internal;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepStatus;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lockdep:*}: the lock-order validator's state, reports and graph, and its mode. The mode
 * set here holds until the {@code nvdimm.lockdep} configuration changes or the runtime restarts.
 */
@Component(service = LockdepCommands.class)
@GogoCommand(scope = "lockdep", function = {"status", "reports", "graph", "mode", "reset"})
@Descriptor("the lock-order validator (lockdep)")
public final class LockdepCommands {

    private final Lockdep lockdep;

    @org.osgi.service.component.annotations.Activate
    public LockdepCommands(@Reference Lockdep lockdep) {
        this.lockdep = lockdep;
    }

    @Descriptor("mode and counts: classes, dependencies, cached chains, reports")
    public LockdepStatus status() {
        return lockdep.status();
    }

    @Descriptor("every report since the last reset, in full")
    public String reports() {
        List<LockdepReport> reports = lockdep.reports();
        if (reports.isEmpty()) {
            return "no reports";
        }
        return reports.stream().map(LockdepReport::toString).collect(Collectors.joining("\n"));
    }

    @Descriptor("every recorded dependency (held -> acquired)")
    public String graph(
            @Descriptor("print Graphviz dot instead of a list")
            @Parameter(names = {"-d", "--dot"}, presentValue = "true", absentValue = "false") boolean dot) {
        if (dot) {
            return lockdep.toDot();
        }
        return list(lockdep.dependencies(), "no dependencies");
    }

    @Descriptor("the dependencies from or to one lock class")
    public String graph(
            @Descriptor("print Graphviz dot instead of a list")
            @Parameter(names = {"-d", "--dot"}, presentValue = "true", absentValue = "false") boolean dot,
            @Descriptor("a lock class name, e.g. nd_region.device_lock") String className) {
        if (dot) {
            return lockdep.toDot(className);
        }
        return list(lockdep.dependencies(className), "no dependencies of class " + className);
    }

    private static String list(List<Dependency> deps, String none) {
        return deps.isEmpty() ? none : deps.stream().map(Dependency::toString).collect(Collectors.joining("\n"));
    }

    @Descriptor("the validator's mode")
    public String mode() {
        return lockdep.mode().name().toLowerCase(Locale.ROOT);
    }

    @Descriptor("set the validator's mode")
    public String mode(@Descriptor("off, warn or throw") String mode) {
        lockdep.setMode(LockdepMode.parse(mode));
        return mode();
    }

    @Descriptor("forget every dependency, cached chain and report (classes and mode stay)")
    public String reset() {
        lockdep.reset();
        return "lockdep: reset; " + lockdep.status();
    }
}
