package nvdimm.shell.internal.completion;

import java.util.List;

/**
 * What a command expects in one place, read from its usage: the synopsis ({@code <nmem0>},
 * {@code <region>}, {@code <namespace>|all}, {@code <namespace>|<region>}, {@code [<bus-id> ..]},
 * {@code FILE}, dd's {@code if=FILE|DEVICE}, {@code [off|warn|throw]}) or an option's metavariable
 * ({@code --bus=BUS}, {@code --dimm=DIMM}, {@code --region=REGION}, {@code --namespace=NAMESPACE}).
 */
record OperandKind(Type type, List<String> words, boolean orAll) {

    enum Type { DIMM, REGION, NAMESPACE, NAMESPACE_OR_REGION, BUS, FILE, DD_OPERAND, WORDS, NONE }

    static final OperandKind NONE = new OperandKind(Type.NONE, List.of(), false);

    /** The kind of a synopsis word, or null for one that is not an operand ({@code [<options>]}, {@code [-d]}). */
    static OperandKind ofSynopsisWord(String word) {
        String w = word.replace("[", "").replace("]", "");
        if (w.isEmpty() || w.startsWith("-") || w.equals("<options>") || w.equals("...")) {
            return null;
        }
        boolean repeats = word.contains("..");
        if (w.contains("=") && !w.startsWith("<")) {
            return new OperandKind(Type.DD_OPERAND, List.of(), true); // dd's key=value operands, any order
        }
        if (w.contains("namespace")) {
            return new OperandKind(w.contains("region") ? Type.NAMESPACE_OR_REGION : Type.NAMESPACE, List.of(),
                    repeats || w.contains("|all"));
        }
        if (w.contains("nmem")) {
            return new OperandKind(Type.DIMM, List.of(), repeats);
        }
        if (w.contains("region")) {
            return new OperandKind(Type.REGION, List.of(), repeats);
        }
        if (w.contains("bus")) {
            return new OperandKind(Type.BUS, List.of(), false);
        }
        if (w.contains("FILE")) {
            return new OperandKind(Type.FILE, List.of(), false);
        }
        if (w.contains("|") && !w.contains("<")) {
            return new OperandKind(Type.WORDS, List.of(w.split("\\|")), false);
        }
        return NONE;
    }

    /** The kind of an option's value from its metavariable ({@code BUS}, {@code DIMM}, {@code REGION}). */
    static OperandKind ofMetavariable(String metavariable) {
        return switch (metavariable) {
            case "BUS" -> new OperandKind(Type.BUS, List.of(), true);
            case "DIMM" -> new OperandKind(Type.DIMM, List.of(), true);
            case "REGION" -> new OperandKind(Type.REGION, List.of(), true);
            case "FILE" -> new OperandKind(Type.FILE, List.of(), false);
            case "VERSION" -> new OperandKind(Type.WORDS, List.of("1.1", "1.2"), false);
            case "NAMESPACE" -> new OperandKind(Type.NAMESPACE, List.of(), true);
            case "MODE" -> new OperandKind(Type.WORDS, List.of("raw", "sector", "fsdax", "devdax"), false);
            default -> NONE;
        };
    }
}
