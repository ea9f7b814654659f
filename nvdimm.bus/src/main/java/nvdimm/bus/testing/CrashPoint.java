package nvdimm.bus.testing;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * A moment of a recorded workload at which the power may fail, and the crash images it could
 * leave: the persisted image with each pending 8-byte word either untouched or showing one of the
 * values it had since its last barrier, every word independently.
 *
 * <p>Images are fresh volatile {@link Medium}s the checker may read, write and run recovery on;
 * each is closed when the checker returns. A crash point handed to a
 * {@link RecordingMedium#crashPoints(Consumer)} callback is valid only during that callback;
 * one from {@link RecordingMedium#crashPoint()} stays valid.
 */
public final class CrashPoint {

    /** How many pending words an image's name lists before it abbreviates. */
    private static final int NAMED_WORDS = 8;

    private final String mediumName;
    private final int index;
    private final String barrier;
    private final String marker;
    private final PersistenceState state;
    private boolean expired;

    CrashPoint(String mediumName, int index, String barrier, String marker, PersistenceState state) {
        this.mediumName = mediumName;
        this.index = index;
        this.barrier = barrier;
        this.marker = marker;
        this.state = state;
    }

    /** The position among the crash points of one replay, from 0; -1 for a point taken now. */
    public int index() {
        return index;
    }

    /**
     * What comes right after this moment: the barrier it precedes, such as {@code "persist(0, 8)"}
     * or {@code "sync()"}, {@code "end of log"} for the final state, or {@code "now"}.
     */
    public String barrier() {
        return barrier;
    }

    /** The label of the last marker before this moment, or {@code ""} when there was none. */
    public String marker() {
        return marker;
    }

    /** How many aligned 8-byte words hold stores that are not yet persisted. */
    public int pendingWords() {
        checkUsable();
        return state.pendingWords();
    }

    /**
     * How many distinct crash images this point has: the product over the pending words of one
     * plus the number of their values; {@link Long#MAX_VALUE} when that overflows.
     */
    public long imageCount() {
        checkUsable();
        long count = 1;
        for (long offset : state.pendingOffsets()) {
            count = saturatingMultiply(count, state.choices(offset).length + 1L);
        }
        return count;
    }

    /** The image in which no pending store reached the medium: the persisted image. The caller closes it. */
    public Medium noneApplied() {
        checkUsable();
        return build("none applied", words(new int[state.pendingWords()]));
    }

    /** The image in which every store reached the medium: what the program sees. The caller closes it. */
    public Medium allApplied() {
        checkUsable();
        return build("all applied", currentWords());
    }

    /**
     * Hands the checker crash images of this point, one at a time, closing each afterwards.
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
        long count = imageCount(); // also refuses an expired point
        int[] choice = new int[state.pendingWords()];
        if (count <= bound) {
            for (long k = 0; k < count; k++) {
                check(checker, "image " + (k + 1) + " of " + count, words(choice));
                nextCombination(choice);
            }
            return;
        }
        check(checker, "sample 1 of " + samples + " (none applied)", words(choice));
        if (samples >= 2) {
            check(checker, "sample 2 of " + samples + " (all applied)", currentWords());
        }
        long[] offsets = state.pendingOffsets();
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 3; s <= samples; s++) {
            for (int i = 0; i < choice.length; i++) {
                choice[i] = random.nextInt(state.choices(offsets[i]).length + 1);
            }
            check(checker, "sample " + s + " of " + samples + " (seed " + seed + ")", words(choice));
        }
    }

    @Override
    public String toString() {
        return mediumName + " crash point " + index + " before " + barrier
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

    /** One pending word of an image: whether it shows a pending value, which, and how to name it. */
    private record Word(long offset, boolean applied, long value, String label) {
    }

    /** The words of the image where pending word {@code i} shows its value {@code choice[i]} (0: none). */
    private Word[] words(int[] choice) {
        long[] offsets = state.pendingOffsets();
        Word[] words = new Word[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            long[] values = state.choices(offsets[i]);
            words[i] = choice[i] == 0
                    ? new Word(offsets[i], false, 0, "old")
                    : new Word(offsets[i], true, values[choice[i] - 1], choice[i] + "/" + values.length);
        }
        return words;
    }

    /** The words of the image where every pending word shows the value the program sees. */
    private Word[] currentWords() {
        long[] offsets = state.pendingOffsets();
        Word[] words = new Word[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            words[i] = new Word(offsets[i], true, state.current(offsets[i]), "current");
        }
        return words;
    }

    private void check(Consumer<? super Medium> checker, String which, Word[] words) {
        try (Medium image = build(which, words)) {
            try {
                checker.accept(image);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(image.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The persisted image with the applied words overwritten, named after the point and the choices. */
    private Medium build(String which, Word[] words) {
        StringBuilder name = new StringBuilder(toString()).append(", ").append(which).append(" [");
        for (int i = 0; i < words.length && i < NAMED_WORDS; i++) {
            name.append(i == 0 ? "" : " ").append('@').append(words[i].offset()).append('=').append(words[i].label());
        }
        if (words.length > NAMED_WORDS) {
            name.append(" +").append(words.length - NAMED_WORDS).append(" more");
        }
        Medium image = Media.memory(name.append(']').toString(), state.size());
        image.write(0, state.persisted());
        for (Word word : words) {
            if (word.applied()) {
                image.writeLong(word.offset(), word.value());
            }
        }
        return image;
    }

    /** Counts {@code choice} up as a mixed-radix number, lowest word fastest; wraps to all zeros. */
    private void nextCombination(int[] choice) {
        long[] offsets = state.pendingOffsets();
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] < state.choices(offsets[i]).length) {
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
