package nvdimm.emul.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nvdimm.bus.spi.ErrorRecord;

/**
 * Disjoint, non-adjacent byte ranges {@code [start, end)} in address order: a bus's poison.
 * Not thread-safe; its owner guards it.
 */
final class RangeSet {

    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds {@code [start, end)}, merging with the ranges it overlaps or touches. */
    void add(long start, long end) {
        long s = start;
        long e = end;
        Map.Entry<Long, Long> before = ranges.floorEntry(s);
        if (before != null && before.getValue() >= s) {
            s = before.getKey();
            e = Math.max(e, before.getValue());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(s);
        while (next != null && next.getKey() <= e) {
            e = Math.max(e, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(s);
        }
        ranges.put(s, e);
    }

    /** Removes {@code [start, end)}. */
    void remove(long start, long end) {
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            // split the range that starts before and reaches into [start, end)
            ranges.put(before.getKey(), start);
            ranges.put(start, before.getValue());
        }
        Map.Entry<Long, Long> r = ranges.ceilingEntry(start);
        while (r != null && r.getKey() < end) {
            ranges.remove(r.getKey());
            if (r.getValue() > end) {
                ranges.put(end, r.getValue());
            }
            r = ranges.ceilingEntry(start);
        }
    }

    /** The parts of the set inside {@code [start, end)}, in address order. */
    List<ErrorRecord> within(long start, long end) {
        List<ErrorRecord> out = new ArrayList<>();
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            out.add(new ErrorRecord(start, Math.min(end, before.getValue()) - start));
        }
        for (Map.Entry<Long, Long> r : ranges.subMap(start, true, end, false).entrySet()) {
            out.add(new ErrorRecord(r.getKey(), Math.min(end, r.getValue()) - r.getKey()));
        }
        return out;
    }

    /** Every range, in address order. */
    List<ErrorRecord> all() {
        List<ErrorRecord> out = new ArrayList<>();
        ranges.forEach((s, e) -> out.add(new ErrorRecord(s, e - s)));
        return out;
    }

    /** Replaces the content with {@code records}. */
    void setAll(List<ErrorRecord> records) {
        ranges.clear();
        for (ErrorRecord r : records) {
            add(r.address(), r.address() + r.length());
        }
    }
}
