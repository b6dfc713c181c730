package dev.minsky.backend.postgres;

import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.VerifyReport;
import dev.minsky.store.jdbc.JdbcRecords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL backend: the {@code sessions} table on a server named by {@code sessiondb.connectionString}. */
public final class PostgresStoreProvider implements StoreProvider {
    @Override
    public String id() {
        return "postgres";
    }

    private static PgUrl url(Settings s) {
        PgConnectRetry.maxConnections(s.maxConnections());
        PgConnectRetry.waitMillis(s.connectionWaitMillis());
        return PgUrl.parse(s.connectionString());
    }

    @Override
    public String location(Settings s) {
        try {
            return url(s).masked();
        } catch (MinskyException e) {
            return "(no valid PostgreSQL connection string)";
        }
    }

    @Override
    public boolean exists(Settings s) {
        PgUrl u = url(s);
        try (Connection c = PostgresConnector.connect(u)) {
            return PostgresSchema.read(c).table();
        } catch (SQLException e) {
            throw PostgresConnector.statementError(u, e, "looking for the sessions table");
        }
    }

    @Override
    public SessionStore open(Settings s, boolean create) {
        PostgresSessionStore store = new PostgresSessionStore(url(s));
        store.idleTimeout(s.idleTimeoutMillis());
        if (create) {
            store.createIfMissing();
        }
        return store;
    }

    @Override
    public void init(Settings s) {
        PgUrl u = url(s);
        try (Connection c = PostgresConnector.connect(u)) {
            c.setAutoCommit(false);
            try {
                PostgresSchema.upgrade(c, u.masked());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresConnector.statementError(u, e, "creating the schema");
        }
    }

    @Override
    public void destroy(Settings s) {
        PgUrl u = url(s);
        try (Connection c = PostgresConnector.connect(u); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS sessions");
            st.execute("DROP TABLE IF EXISTS minsky_meta");
        } catch (SQLException e) {
            throw PostgresConnector.statementError(u, e, "removing the sessions table");
        }
    }

    @Override
    public int currentSchemaVersion() {
        return PostgresSchema.CURRENT;
    }

    @Override
    public VerifyReport verify(Settings s) {
        return verify(s, dev.minsky.store.Progress.NONE);
    }

    @Override
    public VerifyReport verify(Settings s, dev.minsky.store.Progress progress) {
        PgUrl u = url(s);
        List<String> problems = new ArrayList<>();
        long count = -1;
        try (Connection c = PostgresConnector.connect(u)) {
            c.setReadOnly(true);
            PostgresSchema.State st = PostgresSchema.read(c);
            if (!st.table()) {
                problems.add("no sessions table at " + u.masked() + " (run 'minsky sessiondb init --backend postgres')");
                return new VerifyReport(false, -1, problems);
            }
            if (st.version() != PostgresSchema.CURRENT) {
                problems.add("schema version " + st.version() + ", this minsky writes " + PostgresSchema.CURRENT
                        + " (upgrade with 'minsky sessiondb init --backend postgres --force'; no data is lost)");
            }
            List<String> missing = PostgresSchema.NAMES.stream().filter(col -> !st.columns().contains(col)).toList();
            if (!missing.isEmpty()) {
                problems.add("the sessions table lacks the column(s) " + String.join(", ", missing));
            }
            if (!PostgresSchema.hasIndexOn(c, "task_id")) {
                problems.add("no index on sessions(task_id)");
            }
            if (!PostgresSchema.hasIndexOn(c, "created_at")) {
                problems.add("no index on sessions(created_at)");
            }
            c.setAutoCommit(false); // a cursor, not the whole table in memory
            try (Statement q = c.createStatement()) {
                // the bar's total: count(*) reads no row data, the check below decodes every row
                try (ResultSet n = q.executeQuery("SELECT count(*) FROM sessions")) {
                    progress.phase("verifying: rows checked", n.next() ? n.getLong(1) : -1);
                }
                q.setFetchSize(1000);
                try (ResultSet rs = q.executeQuery("SELECT * FROM sessions")) {
                    count = JdbcRecords.verifyRows(rs, PostgresRows.FORMAT, problems, progress);
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw PostgresConnector.statementError(u, e, "verifying the sessions table");
        }
        return new VerifyReport(problems.isEmpty(), count, List.copyOf(problems));
    }

    @Override
    public RepairReport repair(Settings s, Clock clock) {
        throw MinskyException.badInput("PostgreSQL stores are repaired by the server's own tools, not by minsky",
                "check the table with 'minsky sessiondb verify'; restore a backup with 'minsky sessiondb restore --backup FILE --to postgres',"
                        + " or use the server's point-in-time recovery (pg_basebackup/WAL archive) as your DBA set it up");
    }

    // ---- what the core asks a backend (StoreProvider's defaults, issue 9.1)

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public ConfigProblem configProblem(Settings s) {
        if (s.connectionString() == null) {
            return new ConfigProblem("the backend is postgres but no connection string is configured", "missing-connection-string");
        }
        try {
            PgUrl.parse(s.connectionString());
        } catch (MinskyException e) {
            return new ConfigProblem(e.getMessage(), "bad-value");
        }
        return null;
    }

    @Override
    public dev.minsky.store.StoreSecrets secrets() {
        return SECRETS;
    }

    /** The password of {@code sessiondb.connectionString}: {@link PasswordInConfig} and {@code ~/.pgpass}. */
    private static final dev.minsky.store.StoreSecrets SECRETS = new dev.minsky.store.StoreSecrets() {
        @Override
        public String configKey() {
            return "sessiondb.connectionString";
        }

        @Override
        public boolean hasSecret(String value) {
            return PasswordInConfig.hasPassword(value);
        }

        @Override
        public String withoutSecret(String value) {
            return PasswordInConfig.withoutPassword(value);
        }

        @Override
        public List<java.nio.file.Path> filesWithSecret(List<java.nio.file.Path> configFiles) {
            return PasswordInConfig.filesWithPassword(configFiles);
        }

        @Override
        public java.nio.file.Path secretFile(java.util.function.Function<String, String> env, java.nio.file.Path home) {
            return PasswordInConfig.passFile(env, home);
        }

        @Override
        public String moveSecret(java.nio.file.Path secretFile, String value) {
            return PasswordInConfig.writePassFile(secretFile, value);
        }

        @Override
        public List<String> secretEnvironment() {
            return List.of("PGPASSWORD");
        }

        /** The passwords of the password file libpq reads: PGPASSFILE, else {@code ~/.pgpass}. */
        @Override
        public List<Known> knownSecrets(java.util.function.Function<String, String> env, java.nio.file.Path home) {
            String file = env.apply("PGPASSFILE");
            java.nio.file.Path p = file != null ? java.nio.file.Path.of(file) : home.resolve(".pgpass");
            return PgPass.passwords(p).stream().map(pw -> new Known("~/.pgpass", pw)).toList();
        }
    };

    @Override
    public java.util.Map<String, dev.minsky.doctor.model.Safety> actions() {
        java.util.Map<String, dev.minsky.doctor.model.Safety> m = new java.util.LinkedHashMap<>();
        m.put("postgres.wait-retry", dev.minsky.doctor.model.Safety.SAFE);
        m.put("postgres.create-database", dev.minsky.doctor.model.Safety.REVERSIBLE);
        for (String manual : List.of("postgres.start-server", "postgres.check-host", "postgres.fix-credentials", "postgres.create-role",
                "postgres.reduce-connections", "postgres.tls-renew-cert", "postgres.check-load", "postgres.enable-server-tls")) {
            m.put(manual, dev.minsky.doctor.model.Safety.MANUAL);
        }
        // PostgreSQL shared by many clients (knowledge-base/postgres-pool.yaml)
        m.put("postgres.disable-server-prepare", dev.minsky.doctor.model.Safety.REVERSIBLE);
        m.put("postgres.show-lock-holder", dev.minsky.doctor.model.Safety.MANUAL);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public String schemaVersionFact() {
        return "postgres.schemaVersion";
    }

    @Override
    public String connectionFact() {
        return "postgres.connect.kind";
    }

    /** The JDBC driver and its SCRAM library: loaded on the first connection. */
    @Override
    public List<String> archiveClassPrefixes() {
        return List.of("org/postgresql/", "com/ongres/");
    }
}
