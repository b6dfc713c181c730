package dev.minsky.doctor.fix;

import dev.minsky.MinskyPaths;
import dev.minsky.plugin.Plugins;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the remediation actions: the built-in ones and those of plugin jars. */
public final class ActionRegistry {
    private ActionRegistry() {}

    /** Actions by id; the first found wins, so a plugin cannot replace a built-in action by accident. */
    public static Map<String, RemediationAction> load(MinskyPaths paths) {
        Map<String, RemediationAction> out = new LinkedHashMap<>();
        var it = ServiceLoader.load(RemediationAction.class, Plugins.classLoader(paths)).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                RemediationAction a = it.next();
                out.putIfAbsent(a.id(), a);
            } catch (ServiceConfigurationError e) {
                // a broken plugin must not stop the built-in fixes; the remediation then shows as not implemented
            }
        }
        return out;
    }
}
