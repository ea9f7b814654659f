package nvdimm.bus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import nvdimm.bus.Medium;

/**
 * A moment of a recorded workload at which the power may fail, and the crash images it could
 * leave: the persisted image of every recorded medium with each pending 8-byte word either untouched
 * or showing one of the values it may show (see {@link RecordingMedium}), every word independently.
 *
 * <p>The pending words and their choices are frozen once when the point is made, and the persisted
 * pages are shared copy-on-write, so enumerating images recomputes nothing and copies nothing: an
 * image costs its applied words plus the pages its checker writes. Images are fresh volatile
 * {@link Medium}s the checker may read, write and run recovery on; each is closed when the checker
 * returns. A crash point handed to a {@link CrashRecorder#crashPoints(Consumer)} callback is valid
 * only during that callback; one from {@link CrashRecorder#crashPoint()} stays valid.
 */
public final class CrashPoint {

    /** How many words an image's name lists before it abbreviates. */
    private static final int NAMED_WORDS = 8;

    private final String recorderName;
    private final List<String> media;
    private final int index;
    private final String barrier;
    private final String marker;
    private final List<PersistenceState.Frozen> states;
    /** The pending words of all media, by medium then offset: medium, offset, choices, current value. */
    private final int[] wordMedium;
    private final long[] wordOffset;
    private final long[][] wordChoices;
    private final long[] wordCurrent;
    /** For each pending word, the choice that shows the value the program sees (0: back at the persisted one). */
    private final int[] currentChoice;
    private boolean expired;

    CrashPoint(CrashRecorder recorder, List<String> media, int index, String barrier, String marker,
            List<PersistenceState.Frozen> states) {
        this.recorderName = recorder.name();
        this.media = List.copyOf(media);
        this.index = index;
        this.barrier = barrier;
        this.marker = marker;
        this.states = List.copyOf(states);
        int n = states.stream().mapToInt(PersistenceState.Frozen::pendingWords).sum();
        wordMedium = new int[n];
        wordOffset = new long[n];
        wordChoices = new long[n][];
        wordCurrent = new long[n];
        int w = 0;
        for (int m = 0; m < states.size(); m++) {
            PersistenceState.Frozen s = states.get(m);
            for (int i = 0; i < s.pendingWords(); i++, w++) {
                wordMedium[w] = m;
                wordOffset[w] = s.offsets()[i];
                wordChoices[w] = s.choices()[i];
                wordCurrent[w] = s.current()[i];
            }
        }
        currentChoice = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < wordChoices[i].length; k++) {
                if (wordChoices[i][k] == wordCurrent[i]) {
                    currentChoice[i] = k + 1;
                }
            }
        }
    }

    /** The position among the crash points of one replay, from 0; -1 for a point taken now. */
    public int index() {
        return index;
    }

    /**
     * What comes right after this moment: the barrier it precedes, such as {@code "persist(0, 8)"}
     * or {@code "sync()"} (with the medium's name first when the recorder has several), {@code "end
     * of log"} for the final state, or {@code "now"}.
     */
    public String barrier() {
        return barrier;
    }

    /** The label of the last marker before this moment, or {@code ""} when there was none. */
    public String marker() {
        return marker;
    }

    /** The names of the recorded media, the order of a {@link CrashImage}'s media. */
    public List<String> media() {
        return media;
    }

    /** How many aligned 8-byte words, over all media, hold stores that are not yet persisted. */
    public int pendingWords() {
        checkUsable();
        return wordOffset.length;
    }

    /**
     * How many distinct crash images this point has: the product over the pending words of one
     * plus the number of their values; {@link Long#MAX_VALUE} when that overflows.
     */
    public long imageCount() {
        checkUsable();
        long count = 1;
        for (long[] choices : wordChoices) {
            count = saturatingMultiply(count, choices.length + 1L);
        }
        return count;
    }

    /**
     * The image in which no pending store reached the medium: the persisted image. The caller
     * closes it. For a point of one medium.
     */
    public Medium noneApplied() {
        checkSingle();
        int[] none = new int[wordOffset.length];
        return image(wordsName("none applied", none, false), none).media().getFirst();
    }

    /** The image in which every store reached the medium: what the program sees. For a point of one medium. */
    public Medium allApplied() {
        checkSingle();
        return image(wordsName("all applied", currentChoices(), true), currentChoices()).media().getFirst();
    }

    /** The images of all media in which no pending store landed. The caller closes it. */
    public CrashImage persistedImage() {
        checkUsable();
        return image(toString() + ", none applied", new int[wordOffset.length]);
    }

    /** The images of all media in which every pending store landed: what the program sees. The caller closes it. */
    public CrashImage currentImage() {
        checkUsable();
        return image(toString() + ", all applied", currentChoices());
    }

    /**
     * Hands the checker crash images of this point, one at a time, closing each afterwards. For a
     * point of one medium; see {@link #forEachImage(ImagePolicy, long, Consumer)} for several.
     *
     * <p>When {@link #imageCount()} is at most {@code bound}, every image exactly once, starting
     * with {@link #noneApplied()}. Otherwise {@code samples} images: {@link #noneApplied()}, then
     * {@link #allApplied()}, then images whose words choose uniformly at random (with this seed, so
     * a run can be repeated; they may repeat each other).
     *
     * <p>Anything the checker throws is rethrown as an {@link AssertionError} whose message names
     * the image: the crash point and the value each pending word took.
     *
     * @param bound the most images to enumerate exhaustively, at least 1
     * @param samples how many images to check when there are more than {@code bound}, at least 1
     * @param seed the seed of the random choices
     * @param checker runs recovery on an image and asserts what it must find
     */
    public void forEachImage(long bound, int samples, long seed, Consumer<? super Medium> checker) {
        Objects.requireNonNull(checker, "checker");
        if (bound < 1 || samples < 1) {
            throw new IllegalArgumentException("bound and samples must be at least 1, not " + bound + " and " + samples);
        }
        checkSingle();
        long count = imageCount();
        int[] choice = new int[wordOffset.length];
        if (count <= bound) {
            for (long k = 0; k < count; k++) {
                check(checker, "image " + (k + 1) + " of " + count, choice, false);
                nextCombination(choice, null);
            }
            return;
        }
        check(checker, "sample 1 of " + samples + " (none applied)", choice, false);
        if (samples >= 2) {
            check(checker, "sample 2 of " + samples + " (all applied)", currentChoices(), true);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 3; s <= samples; s++) {
            for (int i = 0; i < choice.length; i++) {
                choice[i] = random.nextInt(wordChoices[i].length + 1);
            }
            check(checker, "sample " + s + " of " + samples + " (seed " + seed + ")", choice, false);
        }
    }

    /**
     * How many images {@link #forEachImage(ImagePolicy, long, Consumer)} hands out under
     * {@code policy}; {@link Long#MAX_VALUE} when that overflows.
     */
    public long imageCount(ImagePolicy policy) {
        checkUsable();
        Plan plan = plan(policy);
        return saturatingMultiply(plan.combinations, plan.samplesPer);
    }

    /**
     * Hands the checker the crash images of all media that {@code policy} selects, one
     * {@link CrashImage} at a time, closing each afterwards: every combination of the exhaustive
     * words, each with the policy's samples of the sampled words. Anything the checker throws is
     * rethrown as an {@link AssertionError} whose message names the image: the point, the image's
     * number, the value each applied exhaustive word took (by range label) and the sample.
     *
     * @param seed the seed of the sampled choices; with the point and the combination it fixes each image
     * @throws IllegalStateException when the exhaustive words have more combinations than the
     *     policy allows
     */
    public void forEachImage(ImagePolicy policy, long seed, Consumer<? super CrashImage> checker) {
        Objects.requireNonNull(checker, "checker");
        checkUsable();
        Plan plan = plan(policy);
        long total = saturatingMultiply(plan.combinations, plan.samplesPer);
        int[] choice = new int[wordOffset.length];
        long number = 0;
        for (long c = 0; c < plan.combinations; c++) {
            for (int s = 0; s < plan.samplesPer; s++) {
                String sample = sampleChoices(plan, choice, seed, c, s);
                number++;
                String name = toString() + ", image " + number + " of " + total + " " + describe(plan, choice) + sample;
                try (CrashImage image = image(name, choice)) {
                    try {
                        checker.accept(image);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError(name + ": " + e.getMessage(), e);
                    }
                }
            }
            nextCombination(choice, plan.exhaustive);
        }
    }

    @Override
    public String toString() {
        return recorderName + " crash point " + index + " before " + barrier
                + (marker.isEmpty() ? "" : " after marker '" + marker + "'");
    }

    /** Called when the replay moves past this point. */
    void expire() {
        expired = true;
    }

    private void checkUsable() {
        if (expired) {
            throw new IllegalStateException(this + " was used after its crashPoints callback returned");
        }
    }

    private void checkSingle() {
        checkUsable();
        if (media.size() != 1) {
            throw new IllegalStateException(this + " holds " + media.size() + " media " + media
                    + ": use persistedImage, currentImage or forEachImage with an ImagePolicy");
        }
    }

    /** How a policy splits the words: which are exhaustive, their labels, and the counts. */
    private record Plan(boolean[] exhaustive, String[] labels, long combinations, int samplesPer, boolean anySampled) {
    }

    private Plan plan(ImagePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        int n = wordOffset.length;
        boolean[] exhaustive = new boolean[n];
        String[] labels = new String[n];
        long combinations = 1;
        int exhaustiveWords = 0;
        boolean anySampled = false;
        for (int i = 0; i < n; i++) {
            ImagePolicy.Range range = policy.rangeOf(media.get(wordMedium[i]), wordOffset[i]);
            labels[i] = range == null ? "" : range.label();
            exhaustive[i] = policy.modeOf(range) == ImagePolicy.Mode.EXHAUSTIVE;
            if (exhaustive[i]) {
                combinations = saturatingMultiply(combinations, wordChoices[i].length + 1L);
                exhaustiveWords++;
            } else {
                anySampled = true;
            }
        }
        if (combinations > policy.maxCombinations()) {
            throw new IllegalStateException(this + ": " + exhaustiveWords + " exhaustive words have "
                    + (combinations == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(combinations))
                    + " combinations, more than the policy's " + policy.maxCombinations()
                    + "; narrow the exhaustive ranges or sample them");
        }
        return new Plan(exhaustive, labels, combinations, anySampled ? policy.samples() : 1, anySampled);
    }

    /** Sets the sampled words of {@code choice} for sample {@code s} of combination {@code c}; names the sample. */
    private String sampleChoices(Plan plan, int[] choice, long seed, long c, int s) {
        if (!plan.anySampled) {
            return "";
        }
        SplittableRandom random = s < 2 ? null
                : new SplittableRandom(seed ^ (c * 0x9E3779B97F4A7C15L) ^ (s * 0xC2B2AE3D27D4EB4FL) ^ ((long) index << 40));
        for (int i = 0; i < choice.length; i++) {
            if (!plan.exhaustive[i]) {
                choice[i] = switch (s) {
                    case 0 -> 0;
                    case 1 -> currentChoice[i];
                    default -> random.nextInt(wordChoices[i].length + 1);
                };
            }
        }
        return switch (s) {
            case 0 -> " sampled words: none applied";
            case 1 -> " sampled words: all applied";
            default -> " sampled words: sample " + (s + 1) + " of " + plan.samplesPer + " (seed " + seed + ")";
        };
    }

    /** The applied exhaustive words of {@code choice}, by range label: {@code [dimm0 'map' @8=1/2 ...]}. */
    private String describe(Plan plan, int[] choice) {
        StringBuilder out = new StringBuilder("[");
        int listed = 0;
        int more = 0;
        for (int i = 0; i < choice.length; i++) {
            if (!plan.exhaustive[i] || choice[i] == 0) {
                continue;
            }
            if (listed == NAMED_WORDS) {
                more++;
                continue;
            }
            out.append(listed++ == 0 ? "" : " ");
            if (media.size() > 1) {
                out.append(media.get(wordMedium[i])).append(' ');
            }
            if (!plan.labels[i].isEmpty()) {
                out.append('\'').append(plan.labels[i]).append("' ");
            }
            out.append('@').append(wordOffset[i]).append('=').append(choice[i]).append('/').append(wordChoices[i].length);
        }
        if (listed == 0) {
            out.append("no exhaustive word applied");
        }
        if (more > 0) {
            out.append(" +").append(more).append(" more");
        }
        return out.append(']').toString();
    }

    /** The choice of each word that shows the value the program sees (its last choice or, if that is the persisted value, none). */
    private int[] currentChoices() {
        return currentChoice.clone();
    }

    /** The check of a one-medium image, named with every word's choice. */
    private void check(Consumer<? super Medium> checker, String which, int[] choice, boolean current) {
        try (CrashImage image = image(wordsName(which, choice, current), choice)) {
            Medium medium = image.media().getFirst();
            try {
                checker.accept(medium);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(medium.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The old API's name of an image: the point, which image, and every word's choice. */
    private String wordsName(String which, int[] choice, boolean current) {
        StringBuilder name = new StringBuilder(toString()).append(", ").append(which).append(" [");
        for (int i = 0; i < choice.length && i < NAMED_WORDS; i++) {
            name.append(i == 0 ? "" : " ").append('@').append(wordOffset[i]).append('=')
                    .append(current ? "current" : choice[i] == 0 ? "old" : choice[i] + "/" + wordChoices[i].length);
        }
        if (choice.length > NAMED_WORDS) {
            name.append(" +").append(choice.length - NAMED_WORDS).append(" more");
        }
        return name.append(']').toString();
    }

    /**
     * The images where word {@code i} shows choice {@code choice[i]} (0: its persisted value). A
     * single medium's image carries the name itself; several are each named after their medium.
     */
    private CrashImage image(String name, int[] choice) {
        List<Medium> images = new ArrayList<>(media.size());
        int w = 0;
        for (int m = 0; m < media.size(); m++) {
            int from = w;
            while (w < wordOffset.length && wordMedium[w] == m) {
                w++;
            }
            int applied = 0;
            for (int i = from; i < w; i++) {
                applied += choice[i] == 0 ? 0 : 1;
            }
            long[] offsets = new long[applied];
            long[] values = new long[applied];
            int k = 0;
            for (int i = from; i < w; i++) {
                if (choice[i] != 0) {
                    offsets[k] = wordOffset[i];
                    values[k++] = wordChoices[i][choice[i] - 1];
                }
            }
            String mediumName = media.size() == 1 ? name : media.get(m) + " in " + name;
            images.add(new ImageMedium(mediumName, states.get(m).persisted(), offsets, values));
        }
        return new CrashImage(name, media, images);
    }

    /** Counts the words {@code which} selects (all when null) up as a mixed-radix number, lowest word fastest. */
    private void nextCombination(int[] choice, boolean[] which) {
        for (int i = 0; i < choice.length; i++) {
            if (which != null && !which[i]) {
                continue;
            }
            if (choice[i] < wordChoices[i].length) {
                choice[i]++;
                return;
            }
            choice[i] = 0;
        }
    }

    private static long saturatingMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
