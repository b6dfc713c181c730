package dev.minsky.doctor.fix;

import dev.minsky.doctor.model.Safety;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remediation action ids of docs/doctor-contract.md with their safety classes. A playbook may
 * only name these: the safety class of an action is the Java side's, not the playbook's to choose.
 *
 * <p>This is the one list of action ids. The safe and reversible ones are what {@code --fix} can
 * apply: each has a built-in implementation in {@code doctor.fix} that takes its safety class from
 * here ({@code BuiltinAction}; {@code FixCatalogueTest} checks that they match). It stays a plain
 * table because every {@code minsky doctor} run reads it to check the playbooks, and loading the
 * actions' classes to ask them would cost that run tens of milliseconds.
 */
public final class Actions {
    /** What the doctor says wherever it shows the guide's {@code rm sessions.db-wal}. */
    public static final String DELETE_WAL_WARNING = "DESTRUCTIVE: deleting the -wal file silently drops committed "
            + "transactions that were not yet checkpointed into the database. Checkpoint through SQLite instead.";

    private static final Map<String, Safety> KNOWN = new LinkedHashMap<>();

    static {
        put(Safety.SAFE, "store.init", "fs.create-directory", "fs.chmod-owner", "fs.chmod-private", "sqlite.checkpoint-wal", "schema.init",
                "postgres.wait-retry", "index.create", "sqlite.enable-wal", "backup.create");
        put(Safety.REVERSIBLE, "backup.restore-newest", "config.use-found-store", "json.salvage", "sqlite.recover",
                "sqlite.migrate-json-at-path", "sessions.clean-old", "postgres.create-database", "store.migrate-merge",
                "sessions.rebuild-from-workspaces", "json.restore-temp-file", "store.migration-complete",
                "json.restore-corrupt-copy");
        put(Safety.DESTRUCTIVE, "sqlite.delete-wal", "sessions.delete-missing");
        put(Safety.MANUAL, "fs.permissions-manual", "process.raise-open-files", "sqlite.show-holder", "config.fix-path",
                "config.move-db-path", "disk.free-space", "postgres.start-server", "postgres.check-host",
                "postgres.fix-credentials", "postgres.create-role", "postgres.reduce-connections", "config.fix",
                "doctor.rerun-with-timeout");
        put(Safety.MANUAL, "postgres.tls-renew-cert", "postgres.check-load");
        put(Safety.MANUAL, "postgres.enable-server-tls");
        put(Safety.SAFE, "config.chmod-private");
        // PostgreSQL shared by many clients (knowledge-base/postgres-pool.yaml)
        put(Safety.REVERSIBLE, "postgres.disable-server-prepare");
        put(Safety.MANUAL, "postgres.show-lock-holder");
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

    /** A warning that always goes with this action, whatever the playbook says; null if none. */
    public static String fixedWarning(String action) {
        return "sqlite.delete-wal".equals(action) ? DELETE_WAL_WARNING : null;
    }
}
