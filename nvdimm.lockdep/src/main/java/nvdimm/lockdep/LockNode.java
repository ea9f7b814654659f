package nvdimm.lockdep;

/**
 * One node of the dependency graph: a lock class at one subclass (nesting level).
 *
 * @param className the class's name
 * @param subclass the nesting level, 0 to 7
 */
public record LockNode(String className, int subclass) {
    /** The class name, followed by {@code /subclass} when the subclass is not 0 (lockdep's notation). */
    @Override
    public String toString() {
        return subclass == 0 ? className : className + "/" + subclass;
    }
}
