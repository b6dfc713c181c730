package dev.minsky.doctor.fix;

import dev.minsky.doctor.model.Safety;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;

/**
 * The remediation action ids of docs/doctor-contract.md with their safety classes. A playbook may
 * only name these: the safety class of an action is the Java side's, not the playbook's to choose.
 *
 * <p>This is the one list of action ids: the ones about every store here, each built-in backend's
 * from its provider ({@link StoreProvider#actions()}), then the plugins'. The safe and reversible ones
 * are what {@code --fix} can apply: each has a built-in implementation that takes its safety class
 * from here ({@code BuiltinAction}; {@code FixCatalogueTest} checks that they match). It stays a
 * plain table because every {@code minsky doctor} run reads it to check the playbooks, and loading
 * the actions' classes to ask them would cost that run tens of milliseconds.
 */
public final class Actions {
    private static final Map<String, Safety> KNOWN = new LinkedHashMap<>();

    static {
        // the actions about every store; each backend's own come from its provider (StoreProvider.actions())
        put(Safety.SAFE, "store.init", "fs.create-directory", "fs.chmod-owner", "fs.chmod-private", "schema.init",
                "index.create", "backup.create");
        put(Safety.REVERSIBLE, "backup.restore-newest", "config.use-found-store", "sessions.clean-old", "store.migrate-merge",
                "sessions.rebuild-from-workspaces", "store.migration-complete");
        put(Safety.DESTRUCTIVE, "sessions.delete-missing");
        put(Safety.MANUAL, "fs.permissions-manual", "process.raise-open-files", "config.fix-path",
                "config.move-db-path", "disk.free-space", "config.fix", "doctor.rerun-with-timeout");
        put(Safety.SAFE, "config.chmod-private");
        for (StoreProvider p : Stores.builtIns()) {
            try {
                p.actions().forEach(KNOWN::putIfAbsent);
            } catch (RuntimeException | LinkageError e) {
                // a built-in provider that cannot say is a build fault; FixCatalogueTest sees its actions missing
            }
        }
    }

    private Actions() {}

    private static void put(Safety s, String... ids) {
        for (String id : ids) {
            KNOWN.put(id, s);
        }
    }

    /**
     * The safety class of an action, null when no such action is loaded: a built-in one from the
     * table, else one a plugin jar in the current plugins folder implements (its own
     * {@link dev.minsky.doctor.fix.RemediationAction#safety()}). The plugin jars are only opened
     * when a playbook names an id that is not built in.
     */
    public static Safety safetyOf(String action) {
        Safety s = KNOWN.get(action);
        return s != null ? s : pluginActions().get(action);
    }

    /** Every loaded action id: the built-in ones, then the plugins'. */
    public static List<String> ids() {
        List<String> all = new java.util.ArrayList<>(KNOWN.keySet());
        pluginActions().keySet().stream().filter(id -> !KNOWN.containsKey(id)).forEach(all::add);
        return List.copyOf(all);
    }

    /** Only the built-in ids. */
    public static List<String> builtInIds() {
        return List.copyOf(KNOWN.keySet());
    }

    private static volatile List<dev.minsky.plugin.Plugins.Jar> seenJars;
    private static volatile Map<String, Safety> seenActions = Map.of();

    /** The plugin actions of the current plugins folder with their safety classes (built-ins left out). */
    public static Map<String, Safety> pluginActions() {
        var paths = dev.minsky.plugin.Plugins.current();
        List<dev.minsky.plugin.Plugins.Jar> jars = dev.minsky.plugin.Plugins.jars(paths);
        if (jars.isEmpty()) {
            return Map.of();
        }
        if (jars == seenJars) {
            return seenActions;
        }
        Map<String, Safety> out = new LinkedHashMap<>();
        var found = dev.minsky.plugin.Plugins.load(dev.minsky.doctor.fix.RemediationAction.class, paths);
        for (var l : found.services()) {
            if (l.jar() == null) {
                continue;
            }
            try {
                String id = l.service().id();
                Safety s = l.service().safety();
                if (id != null && s != null && !KNOWN.containsKey(id)) {
                    out.putIfAbsent(id, s);
                }
            } catch (RuntimeException | LinkageError e) {
                // a broken plugin action is not loaded: a playbook naming it is refused
            }
        }
        seenActions = Map.copyOf(out);
        seenJars = jars;
        return seenActions;
    }

    /** A warning that always goes with this action, whatever the playbook says; null if none (asked of the backends' providers). */
    public static String fixedWarning(String action) {
        for (StoreProvider p : Stores.providers()) {
            try {
                String w = p.fixedWarning(action);
                if (w != null) {
                    return w;
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer has no warning to add
            }
        }
        return null;
    }
}
