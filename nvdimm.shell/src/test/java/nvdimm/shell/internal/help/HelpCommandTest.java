package nvdimm.shell.internal.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.shell.internal.GogoSession;
import nvdimm.shell.internal.LockdepCommands;
import nvdimm.shell.internal.RegionCommands;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import nvdimm.shell.internal.blockdev.DdCommands;
import nvdimm.shell.internal.completion.CompletionCommands;
import nvdimm.shell.internal.ndctl.NamespaceCommands;
import nvdimm.shell.internal.ndctl.NdctlCommands;
import nvdimm.shell.internal.ndctl.TestBusAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Item 17: {@code help} lists every scope's commands; every command shows its usage. */
class HelpCommandTest {

    private final TestBusAccess bus = new TestBusAccess();
    private final NdctlCommands ndctl = new NdctlCommands(bus.core(), bus.regions());
    private final RegionCommands region = new RegionCommands(bus.core(), bus.regions());
    private final LockdepCommands lockdep = new LockdepCommands(new Lockdep(LockdepMode.WARN));
    private final NamespaceCommands namespaces = new NamespaceCommands(bus.core(), bus.regions(), bus.namespaces());
    private final DdCommands dd = new DdCommands(List.of());
    private final List<HelpSource> sources = List.of(ndctl, region, lockdep, namespaces, dd);
    private final GogoSession gogo = new GogoSession();

    HelpCommandTest() {
        for (HelpSource s : sources) {
            String scope = s.commands().scope();
            s.commands().usages().forEach(u -> gogo.add(scope, s, u.name()));
        }
        HelpCommand help = new HelpCommand(sources);
        help.setCompletion(new CompletionCommands(bus.core(), sources));
        gogo.add("ndctl", help, "help");
        gogo.add("gogo", new Object() {
            @SuppressWarnings("unused")
            public String echo(String s) {
                return s;
            }
        }, "echo");
    }

    @AfterEach
    void close() {
        gogo.close();
        bus.close();
    }

    @Test
    void helpListsEveryCommandOfEveryScope() throws Exception {
        String text = (String) gogo.execute("help");
        for (HelpSource s : sources) {
            assertTrue(text.contains("\n" + s.commands().scope() + ":\n"), text);
            for (Usage u : s.commands().usages()) {
                assertTrue(text.contains("  " + u.name() + " ") && text.contains(u.description()), u.name() + ": " + text);
            }
        }
        assertTrue(text.contains("\ngogo:\n  echo"), "Gogo's commands too: " + text);
        assertTrue(text.contains("  completion       set up Tab completion"), text);
    }

    @Test
    void helpOfACommandShowsItsUsage() throws Exception {
        assertTrue(((String) gogo.execute("help disable-region")).contains("Usage: ndctl:disable-region <region0>"));
        assertTrue(((String) gogo.execute("help lockdep:graph")).contains("--dot"));
        assertTrue(((String) gogo.execute("help flush")).contains("Usage: nvdimm:flush <region>"));
        String create = (String) gogo.execute("help create-namespace");
        assertTrue(create.contains("Usage: ndctl:create-namespace") && create.contains("default raw (ndctl's default, fsdax"),
                "the raw default is documented: " + create);
        assertTrue(((String) gogo.execute("help dd")).contains("Usage: nvdimm:dd if=FILE|DEVICE of=FILE|DEVICE"));
        UsageError none = assertThrows(UsageError.class, () -> gogo.execute("help frobnicate"));
        assertEquals("help: no command 'frobnicate'; help lists them", none.getMessage());
    }

    @Test
    void everyCommandTakesHelpAndNoneAdvertisesQuestionMark() throws Exception {
        for (HelpSource s : sources) {
            for (Usage u : s.commands().usages()) {
                String name = s.commands().scope() + ":" + u.name();
                String usage = (String) gogo.execute(name + " --help");
                assertTrue(usage.contains("Usage: " + name), name + ": " + usage);
                assertTrue(!usage.contains("-?"), "Gogo expands -? as a file pattern: " + usage);
            }
        }
        assertTrue(((String) gogo.execute("lockdep:status --help")).contains("mode and counts"));
    }
}
