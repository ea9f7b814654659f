package nvdimm.bus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which crash images of a {@link CrashPoint} to check, range by range: every combination of the
 * pending words in exhaustive ranges (metadata: a BTT's info blocks, map and flog), and for each
 * combination a few samples of the pending words in sampled ranges (data blocks). Words outside
 * every range follow the default. Ranges name their words in image names, so a failing image reads
 * as {@code dimm0 'map' @4104=2/2}.
 *
 * <p>For each exhaustive combination the samples are: none of the sampled words applied, all of them
 * at the value the program sees, then random choices from the seed, the point and the combination,
 * so any image can be reproduced. With no pending sampled word there is one image per combination.
 *
 * <p>A builder: set it up before enumerating, from one thread.
 */
public final class ImagePolicy {

    /** How the pending words of a range are enumerated. */
    public enum Mode {
        /** Every combination of the words' choices. */
        EXHAUSTIVE,
        /** A few sampled choices per exhaustive combination. */
        SAMPLED
    }

    /** A range of one medium, its mode and the label its words carry in image names. */
    public record Range(String medium, long offset, long length, Mode mode, String label) {
        public Range {
            Objects.requireNonNull(medium, "medium");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(label, "label");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("range " + offset + " + " + length + " of " + medium + " is negative");
            }
        }

        boolean contains(String name, long at) {
            return medium.equals(name) && at >= offset && at - offset < length;
        }
    }

    private final Mode defaultMode;
    private final List<Range> ranges = new ArrayList<>();
    private int samples = 8;
    private long maxCombinations = 1 << 20;

    private ImagePolicy(Mode defaultMode) {
        this.defaultMode = defaultMode;
    }

    /** Every pending word outside the ranges is enumerated exhaustively. */
    public static ImagePolicy exhaustiveByDefault() {
        return new ImagePolicy(Mode.EXHAUSTIVE);
    }

    /** Every pending word outside the ranges is sampled. */
    public static ImagePolicy sampledByDefault() {
        return new ImagePolicy(Mode.SAMPLED);
    }

    /** Enumerates every combination of the pending words of {@code medium}'s {@code [offset, offset+length)}. */
    public ImagePolicy exhaustive(String medium, long offset, long length, String label) {
        ranges.add(new Range(medium, offset, length, Mode.EXHAUSTIVE, label));
        return this;
    }

    /** Samples the pending words of {@code medium}'s {@code [offset, offset+length)}. */
    public ImagePolicy sampled(String medium, long offset, long length, String label) {
        ranges.add(new Range(medium, offset, length, Mode.SAMPLED, label));
        return this;
    }

    /** Samples per exhaustive combination when sampled words are pending (default 8), at least 1. */
    public ImagePolicy samples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, not " + samples);
        }
        this.samples = samples;
        return this;
    }

    /**
     * The most exhaustive combinations a point may have (default 2^20); a point with more fails the
     * enumeration with the count, for the test to narrow its exhaustive ranges.
     */
    public ImagePolicy maxCombinations(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("max combinations must be at least 1, not " + max);
        }
        this.maxCombinations = max;
        return this;
    }

    public int samples() {
        return samples;
    }

    public long maxCombinations() {
        return maxCombinations;
    }

    public List<Range> ranges() {
        return List.copyOf(ranges);
    }

    /** The first range holding the word at {@code offset} of {@code medium}, or null for the default. */
    Range rangeOf(String medium, long offset) {
        for (Range r : ranges) {
            if (r.contains(medium, offset)) {
                return r;
            }
        }
        return null;
    }

    Mode modeOf(Range range) {
        return range == null ? defaultMode : range.mode();
    }
}
