package dev.minsky.doctor.engine;

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
                "sessions.rebuild-from-workspaces", "json.restore-temp-file", "store.migration-complete");
        put(Safety.DESTRUCTIVE, "sqlite.delete-wal", "sessions.delete-missing");
        put(Safety.MANUAL, "fs.permissions-manual", "process.raise-open-files", "sqlite.show-holder", "config.fix-path",
                "config.move-db-path", "disk.free-space", "postgres.start-server", "postgres.check-host",
                "postgres.fix-credentials", "postgres.create-role", "postgres.reduce-connections", "config.fix",
                "doctor.rerun-with-timeout");
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

    /** The safety class of an action, null when minsky has no such action. */
    public static Safety safetyOf(String action) {
        return KNOWN.get(action);
    }

    public static List<String> ids() {
        return List.copyOf(KNOWN.keySet());
    }

    /** A warning that always goes with this action, whatever the playbook says; null if none. */
    public static String fixedWarning(String action) {
        return "sqlite.delete-wal".equals(action) ? DELETE_WAL_WARNING : null;
    }
}
