package nvdimm.shell.internal.help;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import nvdimm.shell.internal.completion.CompletionCommands;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code help} (Gogo finds {@code ndctl:help} first, the scope searched first): every command of every
 * scope, the stack's ({@code ndctl}, {@code nvdimm}, {@code lockdep}, {@code virtio}) with what each
 * does, then the others Gogo knows ({@code felix}, {@code gogo}, {@code scr}, ...) by name;
 * {@code help CMD} prints one command's usage, as {@code CMD --help} does, and hands a command of
 * another scope to Felix's {@code felix:help}. Functions named {@code __*} (completion helpers) are
 * not listed.
 */
@Component(service = HelpCommand.class)
@GogoCommand(scope = "ndctl", function = "help")
public final class HelpCommand {

    /** The stack's scopes, in the order the shell searches them. */
    static final List<String> SCOPES = List.of("ndctl", "nvdimm", "lockdep", "virtio");

    private final List<HelpSource> sources = new CopyOnWriteArrayList<>();
    /** nvdimm:completion, which is no {@link HelpSource} (it reads them all). */
    private volatile CompletionCommands completion;

    public HelpCommand() {
    }

    /** For tests: help over these sources. */
    public HelpCommand(Collection<? extends HelpSource> sources) {
        this.sources.addAll(sources);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(HelpSource source) {
        sources.add(source);
    }

    void removeSource(HelpSource source) {
        sources.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setCompletion(CompletionCommands completion) {
        this.completion = completion;
    }

    void unsetCompletion(CompletionCommands completion) {
        if (this.completion == completion) {
            this.completion = null;
        }
    }

    /** Every command set help knows: the sources' and completion's. */
    private List<Dispatcher> dispatchers() {
        List<Dispatcher> all = new ArrayList<>();
        sources.forEach(s -> all.add(s.commands()));
        CompletionCommands c = completion;
        if (c != null) {
            all.add(c.commands());
        }
        return all;
    }

    /** Gogo's entry point; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        List<String> args = List.of(argv).subList(1, argv.length);
        if (args.isEmpty()) {
            return list(session == null ? Set.of() : commandsOf(session));
        }
        if (args.size() > 1 || args.get(0).startsWith("-")) {
            if (args.contains("--help") || args.contains("-?")) {
                return "Usage: help [<command>]  list every command, or show one command's usage";
            }
            for (String arg : args) {
                if (arg.startsWith("-")) {
                    throw new UsageError("help: invalid option '" + arg + "' (see help --help)");
                }
            }
            throw new UsageError("help: give one command, not " + args);
        }
        String name = args.get(0);
        Optional<String> ours = usage(name);
        if (ours.isPresent()) {
            return ours.get();
        }
        if (session != null && commandsOf(session).stream().anyMatch(c -> c.equals(name) || c.endsWith(":" + name))) {
            return session.execute("felix:help " + name);
        }
        throw new UsageError("help: no command '" + name + "'; help lists them");
    }

    /** One command's usage: {@code scope:name}, or a bare name looked up in the stack's scopes in order. */
    Optional<String> usage(String name) {
        int colon = name.indexOf(':');
        String scope = colon < 0 ? null : name.substring(0, colon);
        String function = name.substring(colon + 1);
        List<String> order = scope == null ? SCOPES : List.of(scope);
        for (String s : order) {
            for (Dispatcher d : dispatchers()) {
                if (d.scope().equals(s)) {
                    Optional<String> text = d.usageText(function);
                    if (text.isPresent()) {
                        return text;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The listing: the stack's scopes with descriptions (and, by name, any other function Gogo has in
     * them), then every other scope's names.
     */
    String list(Set<String> gogoCommands) {
        StringBuilder text = new StringBuilder(
                "Commands by scope (a bare name finds ndctl, nvdimm, lockdep, virtio, then gogo; "
                        + "help <command> or <command> --help shows its usage):\n");
        Map<String, StringBuilder> ours = new TreeMap<>();
        Set<String> described = new TreeSet<>();
        for (String scope : SCOPES) {
            List<Usage> usages = new ArrayList<>();
            for (Dispatcher d : dispatchers()) {
                if (d.scope().equals(scope)) {
                    usages.addAll(d.usages());
                }
            }
            if (scope.equals("ndctl")) {
                usages.add(0, new Usage("help", "list every command, or show one command's usage", "[<command>]"));
            }
            StringBuilder section = new StringBuilder();
            for (Usage u : usages) {
                section.append(String.format("  %-16s %s%n", u.name(), u.description()));
                described.add(scope + ":" + u.name());
            }
            ours.put(scope, section);
        }
        Map<String, Set<String>> others = new TreeMap<>();
        for (String command : gogoCommands) {
            int colon = command.indexOf(':');
            String function = command.substring(colon + 1);
            if (colon < 0 || described.contains(command) || function.startsWith("__")) {
                continue;
            }
            String scope = command.substring(0, colon);
            if (ours.containsKey(scope)) {
                ours.get(scope).append(String.format("  %s%n", function));
            } else {
                others.computeIfAbsent(scope, k -> new TreeSet<>()).add(function);
            }
        }
        for (String scope : SCOPES) {
            if (!ours.get(scope).isEmpty()) {
                text.append('\n').append(scope).append(":\n").append(ours.get(scope));
            }
        }
        others.forEach((scope, functions) -> text.append('\n').append(scope).append(":\n")
                .append(wrap(functions)));
        return text.toString().stripTrailing();
    }

    private static String wrap(Set<String> names) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(" ");
        for (String n : names) {
            if (line.length() + n.length() + 1 > 78) {
                out.append(line).append('\n');
                line = new StringBuilder(" ");
            }
            line.append(' ').append(n);
        }
        return out.append(line).append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> commandsOf(CommandSession session) {
        Object commands = session.get(".commands");
        return commands instanceof Set<?> set ? (Set<String>) set : Set.of();
    }
}
