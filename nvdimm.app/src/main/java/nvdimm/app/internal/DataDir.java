package nvdimm.app.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a data directory. Media files and configuration survive restarts; framework
 * storage is rebuilt at every start from the bundles the launcher carries and from deploy/.
 */
public record DataDir(Path root) {

    /** Provider bundle jars, installed and started by FileInstall while the runtime runs. */
    public Path deploy() {
        return root.resolve("deploy");
    }

    /** {@code *.cfg} files that FileInstall turns into Configuration Admin configurations. */
    public Path etc() {
        return root.resolve("etc");
    }

    /** The runtime's log ({@code nvdimm.log}). */
    public Path log() {
        return root.resolve("log");
    }

    /** Felix bundle cache, cleaned at every start. */
    public Path framework() {
        return root.resolve("framework");
    }

    /**
     * Configuration Admin's store, inside the framework storage and so rebuilt at every start:
     * etc/ is the one source of configuration that lasts, and a .cfg deleted while the runtime was
     * down leaves no configuration behind.
     */
    public Path config() {
        return framework().resolve("config");
    }

    /** gosh home: the launcher writes {@code shell/etc/gosh_profile} there at every start. */
    public Path shell() {
        return root.resolve("shell");
    }

    /**
     * gosh home in one-shot mode, with an empty profile: the shell bundle's own console thread
     * (which runs no command there) then has nothing to run while the framework stops under it;
     * the one-shot session runs the real profile itself.
     */
    public Path quietShell() {
        return shell().resolve("one-shot");
    }

    /** The lock file that names the runtime using this directory. */
    public Path lockFile() {
        return root.resolve(DataDirLock.FILE);
    }

    /**
     * Makes the root if it does not exist and locks it for this runtime; nothing else is touched,
     * so a second runtime is refused before it rebuilds anything.
     *
     * @throws DataDirLock.InUseException when another runtime holds it, naming that runtime's process
     */
    DataDirLock lock() throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException("data directory " + root + " exists and is not a directory");
        }
        Files.createDirectories(root);
        return DataDirLock.acquire(root);
    }

    /**
     * Creates the directories that do not exist yet; refuses a root that is not a writable directory.
     *
     * @return whether this is the data directory's first use (it had no etc/ yet; an empty
     *     directory made beforehand counts as new)
     */
    public boolean create() throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException("data directory " + root + " exists and is not a directory");
        }
        boolean first = !Files.exists(etc()); // the lock file alone does not make a directory used
        for (Path dir : new Path[] {root, deploy(), etc(), log(), framework(), shell().resolve("etc")}) {
            Files.createDirectories(dir);
        }
        if (!Files.isWritable(root)) {
            throw new IOException("data directory " + root + " is not writable");
        }
        return first;
    }
}
