package nvdimm.shell.internal.cli;

/**
 * A command component of the shell, registered as a service beside its Gogo functions so that
 * {@code help} and Tab completion learn its commands, their usage and their options.
 */
public interface HelpSource {

    /** The component's commands. */
    Dispatcher commands();
}
