package nvdimm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.completion.CompletionCommands;
import nvdimm.shell.internal.blockdev.DdCommands;
import nvdimm.shell.internal.image.ImageCommands;
import nvdimm.shell.internal.ndctl.NamespaceCommands;
import nvdimm.shell.internal.ndctl.NdctlCommands;
import nvdimm.shell.internal.ndctl.TestBusAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Item 16: the README says only what works. Every {@code scope:command} it names anywhere exists,
 * and every option a row of its commands table shows is one the command takes.
 */
class ReadmeCommandsTest {

    private static final Pattern COMMAND = Pattern.compile("\\b(ndctl|nvdimm|lockdep|virtio):([a-z][a-z-]*)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*|-[A-Za-z]+)\\b");

    private final TestBusAccess bus = new TestBusAccess();
    private final Map<String, Usage> commands = new HashMap<>();

    ReadmeCommandsTest() {
        List<HelpSource> sources = List.of(new NdctlCommands(bus.core(), bus.regions()),
                new RegionCommands(bus.core(), bus.regions()), new LockdepCommands(new Lockdep(LockdepMode.WARN)),
                new ImageCommands(null), new nvdimm.shell.internal.check.ImageCheckCommands(null, null),
                new nvdimm.shell.internal.ndctl.LabelCommands(bus.core(),
                        new nvdimm.namespace.internal.labels.LabelAreasComponent(bus.core())),
                new NamespaceCommands(bus.core(), bus.regions(), bus.namespaces()),
                new DdCommands(List.of()), new nvdimm.shell.internal.virtio.VirtioCommands());
        List<nvdimm.shell.internal.cli.Dispatcher> all = new ArrayList<>();
        sources.forEach(s -> all.add(s.commands()));
        all.add(new CompletionCommands(bus.core(), sources).commands());
        for (var d : all) {
            d.usages().forEach(u -> commands.put(d.scope() + ":" + u.name(), u));
        }
        commands.put("ndctl:help", new Usage("help", "", "[<command>]"));
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private static String readme() throws Exception {
        return Files.readString(Path.of("..", "README.md"));
    }

    @Test
    void everyCommandTheReadmeNamesExists() throws Exception {
        Matcher m = COMMAND.matcher(readme());
        while (m.find()) {
            if (m.group(2).equals("") || m.group(0).endsWith(":")) {
                continue;
            }
            assertTrue(commands.containsKey(m.group(0)), "the README names " + m.group(0) + ", which does not exist");
        }
    }

    @Test
    void everyOptionOfTheCommandsTableExists() throws Exception {
        for (String row : readme().lines().filter(l -> l.startsWith("| `")).toList()) {
            String synopsis = row.substring(2, row.indexOf(" | ", 2)); // the first column
            // `a X`, `b Y` `Z`: X is a's, Y is b's, and Z (no command of its own) is a's and b's
            List<String> named = new ArrayList<>();
            for (String segment : synopsis.split("`")) {
                Matcher c = COMMAND.matcher(segment);
                List<String> owners = new ArrayList<>();
                while (c.find()) {
                    owners.add(c.group(0));
                }
                named.addAll(owners);
                Matcher o = OPTION.matcher(segment.replaceAll("(ndctl|nvdimm|lockdep|virtio):[a-z-]+", ""));
                while (o.find()) {
                    for (String command : owners.isEmpty() ? named : owners) {
                        assertTrue(takes(commands.get(command), o.group(1)),
                                command + " does not take " + o.group(1) + ": " + row);
                    }
                }
            }
        }
    }

    private static boolean takes(Usage usage, String option) {
        if (option.startsWith("--")) {
            return List.of(usage.options()).stream().anyMatch(l -> l.contains(option + " ") || l.contains(option + "="));
        }
        for (char ch : option.substring(1).toCharArray()) {
            if (List.of(usage.options()).stream().noneMatch(l -> l.strip().startsWith("-" + ch + " "))) {
                return false;
            }
        }
        return true;
    }
}
