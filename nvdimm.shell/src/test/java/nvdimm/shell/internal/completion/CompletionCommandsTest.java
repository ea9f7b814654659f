package nvdimm.shell.internal.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.shell.internal.GogoSession;
import nvdimm.shell.internal.LockdepCommands;
import nvdimm.shell.internal.RegionCommands;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.blockdev.DdCommands;
import nvdimm.shell.internal.blockdev.MemoryBlockDevice;
import nvdimm.shell.internal.image.ImageCommands;
import nvdimm.shell.internal.ndctl.FakeNamespaces;
import nvdimm.shell.internal.ndctl.NamespaceCommands;
import nvdimm.shell.internal.ndctl.NdctlCommands;
import nvdimm.shell.internal.ndctl.TestBusAccess;
import org.apache.felix.gogo.jline.Shell;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 18: Tab completion through the completer the Gogo shell builds (JLine's
 * {@code Completers.Completer} over the session's {@code .completions}, evaluating arguments in the
 * session as gogo.jline's {@code Shell} does).
 */
class CompletionCommandsTest {

    private final TestBusAccess bus = new TestBusAccess();
    private final NdctlCommands ndctl = new NdctlCommands(bus.core(), bus.regions());
    private final RegionCommands region = new RegionCommands(bus.core(), bus.regions());
    private final LockdepCommands lockdep = new LockdepCommands(new Lockdep(LockdepMode.WARN));
    private final ImageCommands images = new ImageCommands(null);
    private final FakeNamespaces namespaces = bus.namespaces();
    private final NamespaceCommands nsCommands = new NamespaceCommands(bus.core(), bus.regions(), namespaces);
    private final MemoryBlockDevice pmem0 = new MemoryBlockDevice("pmem0", 512, 8);
    private final DdCommands dd = new DdCommands(List.of(pmem0));
    private final List<HelpSource> sources = List.of(ndctl, region, lockdep, images, nsCommands, dd);
    private final GogoSession gogo = new GogoSession();
    private final Completers.Completer completer;

    CompletionCommandsTest() throws Exception {
        for (HelpSource s : sources) {
            String scope = s.commands().scope();
            s.commands().usages().forEach(u -> gogo.add(scope, s, u.name()));
        }
        CompletionCommands completion = new CompletionCommands(bus.core(), sources);
        completion.setNamespaces(namespaces);
        completion.addBlockDevice(pmem0);
        gogo.add("nvdimm", completion, "completion", "__complete").listen(completion);
        var session = gogo.session;
        // an interactive session: gogo.jline's Shell makes the map before it runs the profile
        session.put(Shell.VAR_COMPLETIONS, new java.util.HashMap<>());
        gogo.execute("ndctl:list"); // the first statement (the profile's) installs the completions
        // what gogo.jline's Shell hands its LineReader, through the same statics
        completer = new Completers.Completer(new Completers.CompletionEnvironment() {
            @Override
            public java.util.Map<String, List<Completers.CompletionData>> getCompletions() {
                return Shell.getCompletions(session);
            }

            @Override
            public Set<String> getCommands() {
                return Shell.getCommands(session);
            }

            @Override
            public String resolveCommand(String command) {
                return Shell.resolve(session, command);
            }

            @Override
            public String commandName(String command) {
                return command.substring(command.indexOf(':') + 1);
            }

            @Override
            public Object evaluate(LineReader reader, ParsedLine line, String func) throws Exception {
                session.put(Shell.VAR_COMMAND_LINE, line);
                return session.execute(func);
            }
        });
    }

    @AfterEach
    void close() {
        gogo.close();
        bus.close();
    }

    private Set<String> tab(String buffer) {
        ParsedLine line = new DefaultParser().parse(buffer, buffer.length());
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, line, candidates);
        Set<String> values = new TreeSet<>();
        candidates.forEach(c -> values.add(c.value()));
        return values;
    }

    @Test
    void onlyInteractiveSessionsGetCompletionsAndTheCommandInstallsThemAgain() throws Exception {
        var oneShot = gogo.newSession();
        oneShot.execute("ndctl:list");
        assertEquals(null, oneShot.get(Shell.VAR_COMPLETIONS), "no shell, no completion map");
        oneShot.execute("nvdimm:completion");
        assertTrue(Shell.getCompletions(oneShot).containsKey("ndctl:disable-region"));
        oneShot.close();
    }

    @Test
    void devicesThatExistComplete() {
        assertEquals(Set.of("region0", "region1", "all"), tab("disable-region "));
        assertEquals(Set.of("nmem0", "nmem1", "all"), tab("ndctl:enable-dimm nmem0 "));
        assertEquals(Set.of("ndbus0"), tab("start-scrub "));
        assertEquals(Set.of("namespace0.0", "namespace1.0", "region0", "region1"), tab("inject-error "));
        assertEquals(Set.of("region0", "region1"), tab("flush "), "nvdimm scope, unqualified");
    }

    @Test
    void optionsAndTheirValuesComplete() {
        Set<String> options = tab("list -");
        assertTrue(options.containsAll(Set.of("-b", "--bus", "-M", "--media-errors", "--human", "--help")), options.toString());
        assertEquals(Set.of("region0", "region1", "all"), tab("list -r "));
        assertEquals(Set.of("nmem0", "nmem1", "all"), tab("list -D --dimm "));
        assertEquals(Set.of("ndbus0", "all"), tab("disable-dimm -b "));
        assertEquals(Set.of("off", "warn", "throw"), tab("lockdep:mode "));
        assertTrue(tab("inject-error region0 -B ").isEmpty(), "a block number has nothing to offer");
        assertTrue(tab("lockdep:status --").contains("--help"));
    }

    @Test
    void filePathsComplete(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("guest.img"));
        Files.createDirectory(dir.resolve("images"));
        Files.createFile(dir.resolve("images").resolve("a.img"));
        gogo.session.currentDir(dir);
        assertEquals(Set.of("guest.img", "images/"), tab("nvdimm:attach-image "));
        assertEquals(Set.of("guest.img"), tab("attach-image --slot 1 gu"));
        assertEquals(Set.of("images/a.img"), tab("attach-image images/"));
        assertTrue(tab("attach-image --label-size ").isEmpty());
    }

    @Test
    void namespacesAndBlockDevicesComplete(@TempDir Path dir) throws Exception {
        assertEquals(Set.of("namespace0.0", "namespace1.0", "all"), tab("destroy-namespace "));
        assertEquals(Set.of("namespace0.0", "namespace1.0", "all"), tab("list -n "));
        assertEquals(Set.of("namespace0.0", "namespace1.0", "all"), tab("create-namespace -e "));
        assertEquals(Set.of("region0", "region1", "all"), tab("create-namespace -m raw -r "));
        assertEquals(Set.of("raw", "sector", "fsdax", "devdax"), tab("create-namespace --mode "));
        assertEquals(Set.of("raw", "sector", "fsdax", "devdax"), tab("list -N -m "));
        assertTrue(tab("create-namespace -").containsAll(Set.of("--mode", "--size", "--uuid", "--reconfig", "--continue")));
        Files.createFile(dir.resolve("guest.img"));
        gogo.session.currentDir(dir);
        assertEquals(Set.of("if=", "of=", "bs=", "count=", "skip=", "seek="), tab("nvdimm:dd "));
        assertEquals(Set.of("if=pmem0", "if=guest.img"), tab("dd if="));
        assertEquals(Set.of("of=pmem0", "of=guest.img"), tab("dd if=pmem0 of="));
        assertTrue(tab("dd if=pmem0 bs=").isEmpty(), "a number has nothing to offer");
    }
}
