import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A Java agent for local fuzzing runs only (cnf/fuzz/run-fuzz.sh): Jazzer 0.24.0 instruments with ASM 9.7,
 * which refuses class files of major version 69 (Java 25) with "Unsupported class file major version 69", so the
 * stack's classes would run without coverage feedback. Registered before Jazzer's agent, this transformer
 * relabels the stack's own classes ({@code nvdimm/...}) as major version 67 (Java 23; version 69 adds no class
 * file feature they use) so that Jazzer can instrument them. Nothing else is changed.
 */
public final class ClassVersionAgent {

    private ClassVersionAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                    ProtectionDomain domain, byte[] bytes) {
                if (name == null || !name.startsWith("nvdimm/") || bytes.length < 8 || bytes[6] != 0 || bytes[7] <= 67) {
                    return null;
                }
                byte[] out = bytes.clone();
                out[7] = 67;
                return out;
            }
        }, true);
    }
}
