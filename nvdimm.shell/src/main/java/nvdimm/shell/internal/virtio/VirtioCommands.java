package nvdimm.shell.internal.virtio;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import nvdimm.virtio.VirtioFault;
import nvdimm.virtio.VirtioPmem;
import nvdimm.virtio.VirtioStatus;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jline.builtins.Options;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code virtio:*}: the virtio-pmem devices' state and their fault injection. The devices come and go
 * with their configurations; the commands exist while the shell runs (with none, {@code status} lists
 * none and the others name the device they did not find).
 */
@Component(service = {VirtioCommands.class, HelpSource.class})
@GogoCommand(scope = "virtio", function = {"status", "inject", "clear"})
public final class VirtioCommands implements HelpSource {

    private final List<VirtioPmem> devices = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher;

    public VirtioCommands() {
        dispatcher = new Dispatcher("virtio", List.of(new Status(), new Inject(), new Clear()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(VirtioPmem device) {
        devices.add(device);
    }

    void removeDevice(VirtioPmem device) {
        devices.remove(device);
    }

    /** Gogo's entry point for every function of the scope; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        return dispatcher.dispatch(argv);
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }

    private VirtioPmem device(String name) {
        for (VirtioPmem d : devices) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        List<String> names = devices.stream().map(VirtioPmem::name).sorted().toList();
        throw new NvdimmException(Errno.ENODEV, name + ": no such virtio-pmem device; "
                + (names.isEmpty() ? "there are no virtio-pmem devices" : "the devices are " + String.join(", ", names)));
    }

    private static String deviceArgument(Options opt, int max) {
        List<String> args = opt.args();
        if (args.isEmpty()) {
            throw new UsageError("give a virtio device name");
        }
        if (args.size() > max) {
            throw new UsageError("too many arguments: " + args.subList(1, args.size()));
        }
        return args.getFirst();
    }

    static ObjectNode json(VirtioStatus s) {
        ObjectNode o = Json.object();
        o.put("dev", s.name());
        o.put("path", s.path().toString());
        o.put("size", s.size());
        o.put("queue_size", s.queueSize());
        o.put("in_flight", s.inFlight());
        o.put("waiters", s.spaceWaiters());
        o.put("broken", s.broken());
        o.put("pooled_requests", s.poolCapacity());
        o.put("free_requests", s.poolAvailable());
        o.put("flushes", s.flushes());
        o.put("completed", s.completed());
        o.put("failed", s.failed());
        o.put("host_forces", s.hostForces());
        o.put("host_threads", s.hostThreads());
        ArrayNode faults = o.putArray("faults");
        s.faults().forEach(faults::add);
        return o;
    }

    private final class Status implements Subcommand {
        @Override
        public Usage usage() {
            return new Usage("status", "the state of virtio-pmem devices: queue, requests, flushes, host forces, faults",
                    "[<device>]");
        }

        @Override
        public Object run(Options opt, PrintStream err) {
            if (opt.args().size() > 1) {
                throw new UsageError("give at most one device, not " + opt.args());
            }
            if (opt.args().size() == 1) {
                return Json.print(json(device(opt.args().getFirst()).status()));
            }
            List<VirtioPmem> all = new ArrayList<>(devices);
            all.sort(Comparator.comparing(VirtioPmem::name));
            ArrayNode a = Json.array();
            for (VirtioPmem d : all) {
                a.add(json(d.status()));
            }
            return Json.print(a);
        }
    }

    private final class Inject implements Subcommand {
        @Override
        public Usage usage() {
            return new Usage("inject", "inject a fault: fail-flush, delay MS, kick-fail, break, late MS, silent",
                    "<device> fail-flush|delay <ms>|kick-fail|break|late <ms>|silent [<options>]",
                    "  -n --count=COUNT    flushes (fail-flush) or kicks (kick-fail) that fail (default=1)");
        }

        @Override
        public Object run(Options opt, PrintStream err) {
            List<String> args = opt.args();
            if (args.size() < 2) {
                throw new UsageError(args.isEmpty() ? "give a virtio device name and a fault" : "give a fault");
            }
            VirtioFault fault;
            try {
                fault = VirtioFault.parse(args.get(1));
            } catch (NvdimmException e) {
                throw new UsageError(e.detail());
            }
            long millis = 0;
            if (fault.takesMillis()) {
                if (args.size() != 3) {
                    throw new UsageError(fault + " needs a duration in milliseconds");
                }
                millis = number(args.get(2), fault + " duration");
            } else if (args.size() != 2) {
                throw new UsageError(fault + " takes no value, not " + args.subList(2, args.size()));
            }
            int count = 1;
            if (opt.isSet("count")) {
                if (fault != VirtioFault.FAIL_FLUSH && fault != VirtioFault.KICK_FAIL) {
                    throw new UsageError("--count goes with fail-flush or kick-fail, not " + fault);
                }
                long n = number(opt.get("count"), "count");
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw new UsageError("count must be 1 to " + Integer.MAX_VALUE + ", not " + n);
                }
                count = (int) n;
            }
            VirtioPmem d = device(args.getFirst());
            d.inject(fault, millis, count);
            err.println(d.name() + ": injected " + fault + (fault.takesMillis() ? " " + millis + " ms" : "")
                    + (fault == VirtioFault.FAIL_FLUSH || fault == VirtioFault.KICK_FAIL ? " x" + count : ""));
            return null;
        }
    }

    private final class Clear implements Subcommand {
        @Override
        public Usage usage() {
            return new Usage("clear", "clear every fault of a device; a broken queue is reset", "<device>");
        }

        @Override
        public Object run(Options opt, PrintStream err) {
            VirtioPmem d = device(deviceArgument(opt, 1));
            d.clear();
            err.println(d.name() + ": faults cleared");
            return null;
        }
    }

    private static long number(String text, String what) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new UsageError(what + " must not be negative, not " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageError(what + " '" + text + "' is not a whole number");
        }
    }
}
