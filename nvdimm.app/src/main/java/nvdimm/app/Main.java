package nvdimm.app;

import nvdimm.app.internal.Launcher;

/** Command-line entry point of the nvdimm runtime; see the package documentation for usage. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Launcher.launch(args, System.getenv(), System.in, System.out, System.err));
    }
}
