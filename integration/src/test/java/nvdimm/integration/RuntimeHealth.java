package nvdimm.integration;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * What is wrong with a running framework, each problem as a sentence: bundles that are not
 * ACTIVE, and components that Service Component Runtime could not satisfy or activate.
 */
public final class RuntimeHealth {

    private RuntimeHealth() {
    }

    public static List<String> problems(BundleContext context, ServiceComponentRuntime scr) {
        List<String> problems = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                problems.add("bundle " + b.getSymbolicName() + " is " + state(b.getState()) + ", not ACTIVE");
            }
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            String name = "component " + d.name + " (bundle " + d.bundle.symbolicName + ")";
            if (!scr.isComponentEnabled(d)) {
                if (d.defaultEnabled) {
                    problems.add(name + " is disabled");
                }
                continue;
            }
            boolean waitsForConfiguration = "require".equals(d.configurationPolicy);
            var configurations = scr.getComponentConfigurationDTOs(d);
            if (configurations.isEmpty() && !waitsForConfiguration) {
                problems.add(name + " has no configuration");
            }
            for (ComponentConfigurationDTO c : configurations) {
                switch (c.state) {
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        List<String> missing = new ArrayList<>();
                        for (var r : c.unsatisfiedReferences) {
                            missing.add(r.name + " (" + r.target + ")");
                        }
                        problems.add(name + " is unsatisfied: no service for reference " + String.join(", ", missing));
                    }
                    case ComponentConfigurationDTO.FAILED_ACTIVATION ->
                        problems.add(name + " failed to activate: " + c.failure);
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
                        if (!waitsForConfiguration) {
                            problems.add(name + " is waiting for a configuration it does not require");
                        }
                    }
                    default -> {
                        // SATISFIED or ACTIVE
                    }
                }
            }
        }
        return problems;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "state " + state;
        };
    }
}
