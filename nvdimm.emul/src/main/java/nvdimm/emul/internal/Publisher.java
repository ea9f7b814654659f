package nvdimm.emul.internal;

/** Puts a bus on the framework (registers its {@code BusProvider} service) and takes it off again. */
@FunctionalInterface
interface Publisher {

    /**
     * Registers {@code bus}; never called while holding a lock.
     *
     * @return what unregisters it; idempotent
     */
    Runnable publish(EmulBus bus, Directory.Kind kind);
}
