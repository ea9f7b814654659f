package nvdimm.app.internal.kill;

/** What every child must not have said: the launcher's one-line errors on stderr. */
final class CycleCheck {

    private CycleCheck() {
    }

    static void noErrors(ChildRuntime child, String what) {
        for (String line : child.stderr().split("\n")) {
            if (line.startsWith("nvdimm: ") || line.contains("Exception")) {
                throw new AssertionError(what + ": the runtime reported an error:\n" + child.output());
            }
        }
    }
}
