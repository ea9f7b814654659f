package nvdimm.shell.internal.completion;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmBus;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jline.builtins.Completers.CompletionData;
import org.jline.builtins.Options;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tab completion for the stack's commands through Gogo's own facility (gogo.jline's completer reads
 * the session's {@code .completions}, which the {@code complete} builtin fills).
 * {@code nvdimm:completion} registers, for every command of every {@link HelpSource}, its
 * description, its options (from its usage table) and one argument completer,
 * {@code nvdimm:__complete}, which Gogo evaluates on Tab: it reads the line being edited
 * ({@code $.commandLine}) and offers what the command expects there, found in its usage: the
 * DIMMs, regions or buses that exist now, a file name, or the words of a choice.
 *
 * <p>No profile line is needed: as a {@link CommandSessionListener} (Gogo's runtime tracks them) it
 * installs the completions before the first statement an interactive session runs (its profile),
 * the session whose shell made a {@code .completions} map, and again when commands came or went.
 */
@Component(service = {CompletionCommands.class, CommandSessionListener.class})
@GogoCommand(scope = "nvdimm", function = {"completion", "__complete"})
public final class CompletionCommands implements CommandSessionListener {

    /** Where the completer is evaluated from: the argument Gogo runs on Tab. */
    static final String COMPLETER = "nvdimm:__complete";
    private static final List<String> SCOPES = List.of("ndctl", "nvdimm", "lockdep", "virtio");
    private static final Pattern OPTION = Pattern.compile("^\\s*(?:-(\\S))?\\s*(?:--([\\w-]+)(?:=(\\S+))?)?\\s*(.*)$");

    private final DeviceCore core;
    private final List<HelpSource> sources = new CopyOnWriteArrayList<>();
    /** The namespace service, when it runs: namespace names to offer. */
    private volatile Namespaces namespaces;
    /** The block devices that exist now: names for dd's if= and of=. */
    private final List<BlockDevice> blockDevices = new CopyOnWriteArrayList<>();
    private final ThreadLocal<CommandSession> session = new ThreadLocal<>();
    /** Changes whenever a command set comes or goes; a session holds the one it installed. */
    private final AtomicInteger generation = new AtomicInteger();
    private static final String INSTALLED = ".nvdimm.completion";
    private static final String INSTALLED_KEYS = ".nvdimm.completion.keys";
    private final Dispatcher dispatcher;

    @Activate
    public CompletionCommands(@Reference DeviceCore core) {
        this.core = core;
        dispatcher = new Dispatcher("nvdimm", List.of(new Subcommand() {
            @Override
            public Usage usage() {
                return new Usage("completion", "set up Tab completion of the stack's commands in this session (again)", "");
            }

            @Override
            public Object run(Options opt, PrintStream err) {
                if (!opt.args().isEmpty()) {
                    throw new UsageError("takes no arguments, not " + opt.args());
                }
                CommandSession s = session.get();
                if (s == null) {
                    throw new UsageError("needs a shell session");
                }
                install(s);
                return null;
            }
        }));
    }

    /** For tests: completion over these sources. */
    public CompletionCommands(DeviceCore core, Collection<? extends HelpSource> sources) {
        this(core);
        this.sources.addAll(sources);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(HelpSource source) {
        sources.add(source);
        generation.incrementAndGet();
    }

    void removeSource(HelpSource source) {
        sources.remove(source);
        generation.incrementAndGet();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setNamespaces(Namespaces service) {
        this.namespaces = service;
    }

    void unsetNamespaces(Namespaces service) {
        if (this.namespaces == service) {
            this.namespaces = null; // a greedy replacement was bound first
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBlockDevice(BlockDevice device) {
        blockDevices.add(device);
    }

    void removeBlockDevice(BlockDevice device) {
        blockDevices.remove(device);
    }

    /** Gogo's entry point; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession s, String[] argv) throws Exception {
        if (argv[0].endsWith("__complete")) {
            if (argv.length > 1) { // Tab evaluates it bare; arguments mean someone typed it
                throw new UsageError("nvdimm __complete: takes no arguments, not " + List.of(argv).subList(1, argv.length)
                        + "; Tab runs it to complete the line being edited");
            }
            return s == null ? List.of() : candidates(s);
        }
        session.set(s);
        try {
            return dispatcher.dispatch(argv);
        } finally {
            session.remove();
        }
    }

    /** The {@code completion} command, for its usage. */
    public Dispatcher commands() {
        return dispatcher;
    }

    /** Before a statement of an interactive session: install, or refresh what changed. */
    @Override
    public void beforeExecute(CommandSession s, CharSequence command) {
        if (s.get(".completions") instanceof Map<?, ?> && !Integer.valueOf(generation.get()).equals(s.get(INSTALLED))) {
            install(s);
        }
    }

    @Override
    public void afterExecute(CommandSession s, CharSequence command, Exception exception) {
        // completions are installed before a statement; its outcome changes nothing
    }

    @Override
    public void afterExecute(CommandSession s, CharSequence command, Object result) {
        // as above
    }

    /** Registers every command's completions in the session, as {@code complete -c} would. */
    void install(CommandSession s) {
        int installing = generation.get();
        @SuppressWarnings("unchecked")
        Map<String, List<CompletionData>> completions = (Map<String, List<CompletionData>>) s.get(".completions");
        if (completions == null) {
            completions = new HashMap<>();
            s.put(".completions", completions);
        }
        if (s.get(INSTALLED_KEYS) instanceof List<?> previous) {
            previous.forEach(completions::remove); // commands that left take their completions along
        }
        List<String> keys = new ArrayList<>();
        List<Dispatcher> all = new ArrayList<>();
        sources.forEach(src -> all.add(src.commands()));
        all.add(dispatcher);
        for (Dispatcher d : all) {
            for (Usage u : d.usages()) {
                List<CompletionData> data = new ArrayList<>();
                data.add(new CompletionData(null, u.description(), null, null));
                for (String line : u.options()) {
                    Matcher m = OPTION.matcher(line);
                    if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
                        continue;
                    }
                    List<String> names = new ArrayList<>();
                    if (m.group(1) != null) {
                        names.add("-" + m.group(1));
                    }
                    if (m.group(2) != null) {
                        names.add("--" + m.group(2));
                    }
                    data.add(new CompletionData(names, m.group(4).strip(), null, null));
                }
                data.add(new CompletionData(List.of("--help"), "show this help", null, null));
                data.add(new CompletionData(null, null, COMPLETER, null));
                completions.put(d.scope() + ":" + u.name(), data);
                keys.add(d.scope() + ":" + u.name());
            }
        }
        s.put(INSTALLED_KEYS, keys);
        s.put(INSTALLED, installing);
    }

    /** What to offer at the word being completed ({@code $.commandLine}). */
    List<Candidate> candidates(CommandSession s) {
        if (!(s.get(".commandLine") instanceof ParsedLine line) || line.wordIndex() < 1) {
            return List.of();
        }
        Optional<Usage> usage = usage(line.words().get(0));
        if (usage.isEmpty()) {
            return List.of();
        }
        String prefix = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        OperandKind kind = kindAt(usage.get(), line.words(), line.wordIndex());
        return offer(kind, prefix, s);
    }

    private Optional<Usage> usage(String command) {
        int colon = command.indexOf(':');
        String function = command.substring(colon + 1);
        List<String> scopes = colon < 0 ? SCOPES : List.of(command.substring(0, colon));
        List<Dispatcher> all = new ArrayList<>();
        sources.forEach(src -> all.add(src.commands()));
        for (String scope : scopes) {
            for (Dispatcher d : all) {
                if (d.scope().equals(scope)) {
                    Optional<Usage> u = d.usages().stream().filter(x -> x.name().equals(function)).findFirst();
                    if (u.isPresent()) {
                        return u;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The kind of operand at {@code index}: an option's value, or the n-th positional word. */
    static OperandKind kindAt(Usage usage, List<String> words, int index) {
        Map<String, String> valued = new HashMap<>(); // option name -> metavariable
        for (String line : usage.options()) {
            Matcher m = OPTION.matcher(line);
            if (m.matches() && m.group(3) != null) {
                if (m.group(1) != null) {
                    valued.put("-" + m.group(1), m.group(3));
                }
                valued.put("--" + m.group(2), m.group(3));
            }
        }
        String previous = words.get(index - 1);
        if (valued.containsKey(previous)) {
            return OperandKind.ofMetavariable(valued.get(previous));
        }
        if (previous.length() > 2 && previous.startsWith("-") && !previous.startsWith("--")
                && valued.containsKey("-" + previous.charAt(previous.length() - 1))) {
            return OperandKind.ofMetavariable(valued.get("-" + previous.charAt(previous.length() - 1))); // -Db
        }
        int position = 0;
        for (int i = 1; i < index; i++) {
            String w = words.get(i);
            if (w.startsWith("-")) {
                if (valued.containsKey(w) && !w.contains("=")) {
                    i++; // its value
                }
                continue;
            }
            position++;
        }
        List<OperandKind> slots = new ArrayList<>();
        for (String w : usage.synopsis().split("\\s+")) {
            OperandKind k = OperandKind.ofSynopsisWord(w);
            if (k != null && !(w.contains("..") && !slots.isEmpty() && slots.get(slots.size() - 1).type() == k.type())) {
                slots.add(k);
            } else if (k != null) {
                OperandKind last = slots.remove(slots.size() - 1);
                slots.add(new OperandKind(last.type(), last.words(), true));
            }
        }
        if (slots.isEmpty()) {
            return OperandKind.NONE;
        }
        if (position < slots.size()) {
            return slots.get(position);
        }
        OperandKind last = slots.get(slots.size() - 1);
        return last.orAll() ? last : OperandKind.NONE;
    }

    private List<Candidate> offer(OperandKind kind, String prefix, CommandSession s) {
        List<String> words = new ArrayList<>();
        switch (kind.type()) {
            case DIMM -> core.buses().forEach(b -> b.dimms().forEach(d -> words.add(d.name())));
            case REGION -> core.buses().forEach(b -> b.regions().forEach(r -> words.add(r.name())));
            case NAMESPACE -> words.addAll(namespaceNames());
            case NAMESPACE_OR_REGION -> {
                words.addAll(namespaceNames());
                core.buses().forEach(b -> b.regions().forEach(r -> words.add(r.name())));
            }
            case BUS -> core.buses().stream().map(NvdimmBus::name).forEach(words::add);
            case WORDS -> words.addAll(kind.words());
            case FILE -> {
                return files(s.currentDir(), prefix);
            }
            case DD_OPERAND -> {
                return ddOperand(prefix, s);
            }
            case NONE -> {
                return List.of();
            }
        }
        if (kind.orAll() && kind.type() != OperandKind.Type.WORDS) {
            words.add("all");
        }
        return words.stream().map(w -> new Candidate(w, w, null, null, null, null, true)).toList();
    }

    /** The namespaces that exist now (seeds too: they can be named), or none without the service. */
    private List<String> namespaceNames() {
        Namespaces service = namespaces;
        return service == null ? List.of() : service.list().stream().map(NamespaceInfo::dev).toList();
    }

    /**
     * dd's operands: the keys ({@code if=}, {@code of=}, ...) until one is typed; after {@code if=} or
     * {@code of=}, the block devices and the files that complete the rest.
     */
    private List<Candidate> ddOperand(String prefix, CommandSession s) {
        int eq = prefix.indexOf('=');
        if (eq < 0) {
            return Stream.of("if=", "of=", "bs=", "count=", "skip=", "seek=")
                    .map(k -> new Candidate(k, k, null, null, null, null, false)).toList();
        }
        String key = prefix.substring(0, eq + 1);
        if (!key.equals("if=") && !key.equals("of=")) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>();
        blockDevices.stream().map(BlockDevice::name).sorted()
                .forEach(n -> out.add(new Candidate(key + n, n, null, null, null, null, true)));
        for (Candidate file : files(s.currentDir(), prefix.substring(eq + 1))) {
            out.add(new Candidate(key + file.value(), file.displ(), null, null, null, null, file.complete()));
        }
        return out;
    }

    /** File names under the session's directory that complete {@code prefix}; directories end in '/'. */
    static List<Candidate> files(Path cwd, String prefix) {
        int slash = prefix.lastIndexOf('/');
        String dirPart = prefix.substring(0, slash + 1);
        String namePart = prefix.substring(slash + 1);
        Path dir = (cwd == null ? Path.of("") : cwd).resolve(dirPart.isEmpty() ? "." : dirPart);
        List<Candidate> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(namePart) || (name.startsWith(".") && !namePart.startsWith("."))) {
                    continue;
                }
                boolean directory = Files.isDirectory(p);
                String value = dirPart + name + (directory ? "/" : "");
                out.add(new Candidate(value, name + (directory ? "/" : ""), null, null, null, null, !directory));
            }
        } catch (IOException e) {
            return List.of(); // nothing to offer from a directory that cannot be read
        }
        return out;
    }
}
