package nvdimm.app.internal.kill;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent's account of a labeled region's namespaces: those whose creation was acknowledged and not
 * their destruction (by the namespace's own uuid, with their mode), and the one operation that may have
 * been in flight at the kill. A listing after a restart passes when it shows every acknowledged namespace,
 * enabled, with its mode and a block device, and nothing else but the in-flight operation's namespace (a
 * create that may or may not have happened, or a destroy that may or may not have). Whatever state the
 * in-flight namespace is found in (a sector create without its BTT, a destroy cut short between DIMMs that
 * leaves a disabled set that does not assemble) it must keep until an acknowledged operation changes it.
 */
final class NamespaceLedger {

    /** One namespace as {@code ndctl list -N -i -v} shows it. */
    record Listed(String uuid, String mode, boolean enabled, boolean blockdev, String dev) {
    }

    private record Pending(char op, String uuid, String mode, long size) {
    }

    /** What an acknowledged namespace must look like: its mode, and whether it has a block device. */
    private record Expect(String mode, boolean enabled, boolean blockdev, long size) {
    }

    private Map<String, Expect> acked = new HashMap<>();
    private Pending inFlight;
    private long operations;
    private long inFlightAtVerify;
    private long halfCreated;

    void apply(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "S" -> { }
                case "+C" -> inFlight = new Pending('C', f[1], f[2], Long.parseLong(f[3]));
                case "+D" -> inFlight = new Pending('D', f[1], null, 0);
                case "C" -> {
                    Pending c = expectPending('C', f[1], line);
                    acked.put(f[1], new Expect(c.mode(), true, true, c.size()));
                    done();
                }
                case "D" -> {
                    expectPending('D', f[1], line);
                    acked.remove(f[1]);
                    done();
                }
                case "X" -> {
                    expectPending('C', f[1], line);
                    inFlight = null;
                }
                default -> throw new AssertionError("unknown report line: " + line);
            }
        }
    }

    private Pending expectPending(char op, String uuid, String line) {
        if (inFlight == null || inFlight.op() != op || !inFlight.uuid().equals(uuid)) {
            throw new AssertionError("report line " + line + " does not finish the operation in flight " + inFlight);
        }
        return inFlight;
    }

    private void done() {
        inFlight = null;
        operations++;
    }

    long operations() {
        return operations;
    }

    /** How many verifications found an operation in flight. */
    long inFlightAtVerify() {
        return inFlightAtVerify;
    }

    /**
     * Checks the region's capacity against the account (call after {@link #verify}): what the region has
     * available is its size less the namespaces listed, so no label of a namespace that is not listed (a
     * set left incomplete by a kill between the DIMMs' label writes) holds capacity.
     *
     * @throws AssertionError naming the bytes held by no listed namespace
     */
    void verifyCapacity(long regionSize, long available) {
        long used = acked.values().stream().mapToLong(Expect::size).sum();
        if (available != regionSize - used) {
            throw new AssertionError("the region has " + available + " bytes available, not " + (regionSize - used)
                    + " (its size " + regionSize + " less the " + acked.size() + " namespaces listed, " + used
                    + " bytes): " + (regionSize - used - available) + " bytes held by labels of no listed namespace");
        }
    }

    /**
     * How many in-flight creates came back without a block device: a sector create killed after its labels
     * (v1.2: claimed for sector mode) and before the BTT's info block, listed as sector without a block device;
     * or a create killed between its DIMMs' label writes, listed disabled as a set that does not assemble.
     * Either stays so until it is destroyed.
     */
    long halfCreated() {
        return halfCreated;
    }

    int size() {
        return acked.size();
    }

    /**
     * Checks a listing against the account; on success the listing becomes the account.
     *
     * @throws AssertionError naming each namespace missing, unexpected or not as acknowledged
     */
    void verify(List<Listed> listing) {
        List<String> problems = new ArrayList<>();
        Map<String, Listed> seen = new HashMap<>();
        for (Listed l : listing) {
            if (seen.put(l.uuid(), l) != null) {
                problems.add("uuid " + l.uuid() + " is listed twice");
            }
        }
        for (Map.Entry<String, Expect> e : acked.entrySet()) {
            Listed l = seen.get(e.getKey());
            boolean maybeGone = inFlight != null && inFlight.op() == 'D' && inFlight.uuid().equals(e.getKey());
            if (l == null) {
                if (!maybeGone) {
                    problems.add("acknowledged " + e.getValue() + " namespace " + e.getKey() + " is gone");
                }
            } else if (!maybeGone && !(l.mode().equals(e.getValue().mode()) && l.enabled() == e.getValue().enabled()
                    && l.blockdev() == e.getValue().blockdev())) {
                problems.add("acknowledged " + e.getValue() + " namespace " + e.getKey() + " is listed as " + l);
            }
        }
        for (Listed l : listing) {
            boolean maybeNew = inFlight != null && inFlight.op() == 'C' && inFlight.uuid().equals(l.uuid());
            if (!acked.containsKey(l.uuid()) && !maybeNew) {
                problems.add("namespace " + l + " was never acknowledged");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems) + " (in flight: " + inFlight + ")");
        }
        if (inFlight != null) {
            inFlightAtVerify++;
            Listed l = seen.get(inFlight.uuid());
            if (inFlight.op() == 'C' && l != null && !l.blockdev()) {
                halfCreated++;
            }
        }
        Map<String, Expect> now = new HashMap<>();
        for (Listed l : listing) {
            long size = acked.containsKey(l.uuid()) ? acked.get(l.uuid()).size() : inFlight.size();
            now.put(l.uuid(), new Expect(l.mode(), l.enabled(), l.blockdev(), size));
        }
        acked = now;
        inFlight = null;
    }
}
