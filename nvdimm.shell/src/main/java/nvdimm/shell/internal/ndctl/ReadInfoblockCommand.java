package nvdimm.shell.internal.ndctl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.btt.BttInfoBlock;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;
import nvdimm.shell.internal.cli.FileFailure;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl read-infoblock}: a namespace's BTT info block (at 4 KiB for v1.1, else at 0 for v2.0), with
 * {@code -j} as ndctl's JSON array ({@code dev, signature, uuid, parent_uuid, flags, version,
 * external_lbasize, external_nlba, internal_lbasize, internal_nlba, nfree, infosize, nextoff, dataoff,
 * mapoff, logoff, info2off}), else the raw 4 KiB block to {@code -o FILE} or standard output;
 * {@code read N infoblock(s)} on stderr. Unlike ndctl, which needs the namespace disabled and reads it raw,
 * this reads an enabled namespace through its byte I/O (a read never disturbs a BTT).
 */
final class ReadInfoblockCommand implements Subcommand {
    private final NamespaceTargets targets;

    ReadInfoblockCommand(NamespaceTargets targets) {
        this.targets = targets;
    }

    @Override
    public Usage usage() {
        return new Usage("read-infoblock", "dump a namespace's BTT info block (raw, or ndctl's JSON with -j)",
                "<namespace> [<namespace>..] [<options>]",
                "  -j --json           parse the info block into JSON",
                "  -u --human          as -j (sizes stay numbers)",
                "  -o --output=FILE    write to FILE instead of standard output");
    }

    @Override
    public Object run(Options opt, PrintStream err) throws IOException {
        if (opt.args().isEmpty()) {
            throw new UsageError("specify a namespace");
        }
        boolean json = opt.isSet("json") || opt.isSet("human");
        ArrayNode array = Json.array();
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        int done = 0;
        NvdimmException first = null;
        for (String name : opt.args()) {
            try {
                if (targets.service().info(name).isEmpty()) {
                    throw new NvdimmException(Errno.ENXIO, name + ": no such namespace");
                }
                Namespace ns = targets.service().find(name).orElseThrow(() -> new NvdimmException(Errno.ENXIO,
                        name + ": the namespace is disabled"));
                BttInfoBlock b = BttInfoBlock.read(ns).orElseThrow(() -> new NvdimmException(Errno.EINVAL,
                        name + ": no BTT info block at offset 4096 or 0"));
                if (json) {
                    array.add(of(name, b));
                } else {
                    raw.write(b.raw());
                }
                done++;
            } catch (NvdimmException e) {
                if (first == null) {
                    first = e; // the command ends with it when nothing was read; printed then, once
                } else {
                    err.println(e.getMessage());
                }
            }
        }
        Object result = null;
        if (done > 0) {
            byte[] bytes = json ? (Json.print(array) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : raw.toByteArray();
            if (opt.isSet("output")) {
                Path file = Path.of(opt.get("output")).toAbsolutePath().normalize();
                try {
                    Files.write(file, bytes);
                } catch (IOException e) {
                    throw FileFailure.of(file, e);
                }
            } else if (json) {
                result = Json.print(array);
            } else {
                OutputStream out = System.out; // Gogo routes it to the session, or to the file of a > redirect
                out.write(bytes);
                out.flush();
            }
        }
        if (done > 0 && first != null) {
            err.println(first.getMessage());
        }
        err.println("read " + done + " infoblock" + (done == 1 ? "" : "s"));
        if (done == 0 && first != null) {
            throw first;
        }
        return result;
    }

    static ObjectNode of(String dev, BttInfoBlock b) {
        ObjectNode o = Json.object();
        o.put("dev", dev);
        o.put("signature", b.signature());
        o.put("uuid", b.uuid().toString());
        o.put("parent_uuid", b.parentUuid().toString());
        o.put("flags", b.flags());
        o.put("version", b.version());
        o.put("external_lbasize", b.externalLbasize());
        o.put("external_nlba", b.externalNlba());
        o.put("internal_lbasize", b.internalLbasize());
        o.put("internal_nlba", b.internalNlba());
        o.put("nfree", b.nfree());
        o.put("infosize", b.infosize());
        o.put("nextoff", b.nextoff());
        o.put("dataoff", b.dataoff());
        o.put("mapoff", b.mapoff());
        o.put("logoff", b.logoff());
        o.put("info2off", b.info2off());
        return o;
    }
}
