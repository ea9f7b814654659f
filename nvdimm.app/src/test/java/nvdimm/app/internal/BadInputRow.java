package nvdimm.app.internal;

import java.util.List;

/**
 * One row of the shell's bad-input table: a statement as a user types it in one-shot mode, the exit code
 * it must end with, and what its message on stderr must say (the object and the problem). A row with exit
 * 0 is one where ndctl itself succeeds (an {@code all} that selects nothing counts 0), or one the shell
 * answers without failing for a reason, documented in {@code ndctl}.
 *
 * @param command the command the row exercises, {@code scope:function}
 * @param line the whole statement
 * @param exit the one-shot exit code
 * @param says fragments stderr must contain, in any order
 * @param ndctl for a row that succeeds: what ndctl does, or why the shell does not fail; else empty
 * @param emptied whether the row runs after every namespace of the default bus was destroyed
 */
record BadInputRow(String command, String line, int exit, List<String> says, String ndctl, boolean emptied) {

    /** A row that fails: {@code line} starts with its {@code scope:function}. */
    static BadInputRow fails(String line, int exit, String... says) {
        return new BadInputRow(line.split(" ", 2)[0], line, exit, List.of(says), "", false);
    }

    /** A row where ndctl succeeds and so does the shell, changing nothing: {@code ndctl} says what ndctl does. */
    static BadInputRow asNdctl(String line, String ndctl, String... says) {
        return new BadInputRow(line.split(" ", 2)[0], line, 0, List.of(says), ndctl, false);
    }

    /** A row the shell answers without failing, changing nothing, for the reason {@code why}. */
    static BadInputRow documented(String line, String why, String... says) {
        return new BadInputRow(line.split(" ", 2)[0], line, 0, List.of(says), why, false);
    }

    /** This row, run once every namespace of the default bus is destroyed. */
    BadInputRow afterEmptying() {
        return new BadInputRow(command, line, exit, says, ndctl, true);
    }

    @Override
    public String toString() {
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
