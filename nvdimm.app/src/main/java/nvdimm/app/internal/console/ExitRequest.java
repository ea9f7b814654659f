package nvdimm.app.internal.console;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/** {@code exit [N]} and {@code quit [N]} as session functions of the interactive shell. */
final class ExitRequest {

    private ExitRequest() {
    }

    /** Where the shell learns that the user asked to leave, and with which code. */
    static final class Holder {
        private volatile Integer code;

        boolean requested() {
            return code != null;
        }

        int code() {
            Integer c = code;
            return c == null ? 0 : c;
        }

        void request(int exitCode) {
            code = exitCode;
        }
    }

    /** Session variables win over commands, so these shadow {@code system:exit} (a bare System.exit). */
    static void define(CommandSession session, Holder holder) {
        for (String name : ExitStatus.COMMANDS) {
            session.put(name, (Function) (s, args) -> {
                int code = ExitStatus.parse(name, args);
                holder.request(code);
                throw new ExitStatus.Request(name, code);
            });
        }
    }
}
