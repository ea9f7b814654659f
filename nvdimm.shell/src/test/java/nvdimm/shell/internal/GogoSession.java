package nvdimm.shell.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;

/**
 * A real Gogo runtime with the launcher's scope path, for tests that go through Gogo's own command
 * resolution, {@code help} and completion.
 */
public final class GogoSession implements AutoCloseable {

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    public final CommandSessionImpl session;
    public final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public GogoSession() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.put("SCOPE", "ndctl:nvdimm:lockdep:virtio:gogo:*");
    }

    /** Registers {@code target}'s functions under {@code scope}, as the Gogo whiteboard does. */
    public GogoSession add(String scope, Object target, String... functions) {
        for (String f : functions) {
            processor.addCommand(scope, target, f);
        }
        return this;
    }

    /** Registers a session listener, as the runtime does for a CommandSessionListener service. */
    public GogoSession listen(org.apache.felix.service.command.CommandSessionListener listener) {
        processor.addListener(listener);
        return this;
    }

    /** Another session of the same runtime (its own variables, same commands and listeners). */
    public CommandSessionImpl newSession() {
        CommandSessionImpl other = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        other.put("SCOPE", session.get("SCOPE"));
        return other;
    }

    public Object execute(String line) throws Exception {
        return session.execute(line);
    }

    @Override
    public void close() {
        session.close();
        processor.stop();
        threadIO.stop();
    }
}
