package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.Timestamps;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.VerifyReport;
import dev.minsky.store.jdbc.JdbcRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQLite backend: {@code sessions.db} with Minsky's camelCase table, in WAL mode. */
public final class SqliteStoreProvider implements StoreProvider {
    @Override
    public String id() {
        return "sqlite";
    }

    @Override
    public String location(Settings s) {
        return s.sqlitePath().toAbsolutePath().toString();
    }

    @Override
    public boolean exists(Settings s) {
        return Files.isRegularFile(s.sqlitePath());
    }

    @Override
    public SessionStore open(Settings s, boolean create) {
        Path file = s.sqlitePath().toAbsolutePath();
        if (create && !Files.exists(file)) {
            create(file, s.sqliteBusyTimeoutMillis());
        } else if (Files.exists(file)) {
            // Fail on a foreign file now, before a command does anything else.
            SqliteFiles.checkHeader(file);
        }
        return new SqliteSessionStore(file, s.sqliteBusyTimeoutMillis());
    }

    @Override
    public void init(Settings s) {
        create(s.sqlitePath().toAbsolutePath(), s.sqliteBusyTimeoutMillis());
    }

    /** Creates the file (and directory) when missing, switches to WAL and brings the schema to the current version. */
    static void create(Path file, int busyMillis) {
        SqliteSessionStore.createParent(file);
        SqliteFiles.checkHeader(file);
        boolean existed = java.nio.file.Files.exists(file);
        try (Connection c = SqliteFiles.open(file, true, busyMillis)) {
            if (!existed) {
                // before the WAL exists: SQLite gives the -wal and -shm files the database's mode
                dev.minsky.util.PrivateFiles.makePrivate(file);
            }
            String mode = SqliteFiles.enableWal(c);
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new MinskyException(ExitCode.INCOMPLETE,
                        "could not switch " + file + " to WAL mode (journal mode is '" + mode + "')",
                        "WAL needs a filesystem with shared-memory support (not a network share); 'minsky doctor' explains");
            }
            SqliteFiles.exec(c, "BEGIN IMMEDIATE");
            boolean done = false;
            try {
                SqliteSchema.upgrade(c, file);
                SqliteFiles.exec(c, "COMMIT");
                done = true;
            } finally {
                if (!done) {
                    try {
                        SqliteFiles.exec(c, "ROLLBACK");
                    } catch (SQLException ignored) {
                        // already rolled back
                    }
                }
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, file, "creating", busyMillis);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot make " + file + " private (chmod 600): " + e.getMessage(),
                    "check who owns " + file.getParent(), e);
        }
    }

    @Override
    public void destroy(Settings s) {
        Path file = s.sqlitePath().toAbsolutePath();
        if (!Files.exists(file)) {
            return;
        }
        Path wal = SqliteFiles.wal(file);
        if (Files.exists(wal)) {
            // Fold committed work from the -wal into the file first; a -wal is never simply deleted.
            try (Connection c = SqliteFiles.open(file, false, s.sqliteBusyTimeoutMillis())) {
                SqliteFiles.exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                // handled below: the -wal is kept aside with the file
            }
        }
        try {
            if (Files.exists(wal) && Files.size(wal) > 0) {
                String aside = file.getFileName() + ".removed-" + Timestamps.fileStamp(Instant.now());
                Files.move(file, file.resolveSibling(aside));
                Files.move(wal, file.resolveSibling(aside + "-wal"));
                Files.deleteIfExists(SqliteFiles.shm(file));
                return;
            }
            Files.deleteIfExists(wal);
            Files.deleteIfExists(SqliteFiles.shm(file));
            Files.delete(file);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot remove " + file + ": " + e.getMessage(),
                    "check the permissions of the directory " + file.getParent());
        }
    }

    @Override
    public int currentSchemaVersion() {
        return SqliteSchema.CURRENT;
    }

    @Override
    public VerifyReport verify(Settings s) {
        return verify(s, dev.minsky.store.Progress.NONE);
    }

    @Override
    public VerifyReport verify(Settings s, dev.minsky.store.Progress progress) {
        Path file = s.sqlitePath().toAbsolutePath();
        if (!Files.exists(file)) {
            return new VerifyReport(false, -1, List.of("no SQLite store at " + file + " (run 'minsky sessiondb init --backend sqlite')"));
        }
        try {
            SqliteFiles.checkHeader(file);
        } catch (MinskyException e) {
            if (e instanceof dev.minsky.StoreUnreadable || e.exitCode() == ExitCode.BAD_INPUT) {
                return new VerifyReport(false, -1, List.of(e.getMessage()));
            }
            throw e;
        }
        List<String> problems = new ArrayList<>();
        long count = -1;
        // Reads only, and leaves no -wal/-shm of its own (see openForReading).
        try (Connection c = SqliteFiles.openForReading(file, s.sqliteBusyTimeoutMillis())) {
            progress.phase("verifying: integrity_check");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                List<String> lines = new ArrayList<>();
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
                if (!(lines.size() == 1 && "ok".equals(lines.get(0)))) {
                    problems.add("integrity_check failed (SQLITE_CORRUPT): "
                            + String.join("; ", lines.subList(0, Math.min(5, lines.size())))
                            + (lines.size() > 5 ? "; ... " + (lines.size() - 5) + " more" : ""));
                }
            }
            SqliteSchema.State st = SqliteSchema.read(c);
            if (!st.table()) {
                problems.add("the sessions table is missing (run 'minsky sessiondb init --backend sqlite')");
            } else {
                if (st.version() != SqliteSchema.CURRENT) {
                    problems.add("schema version " + st.version() + ", this minsky writes " + SqliteSchema.CURRENT
                            + " (upgrade with 'minsky sessiondb init --backend sqlite --force'; no data is lost)");
                }
                List<String> missing = SqliteSchema.COLUMNS.stream().filter(col -> !st.columns().contains(col)).toList();
                if (!missing.isEmpty()) {
                    problems.add("the sessions table lacks the column(s) " + String.join(", ", missing));
                }
                if (!SqliteSchema.hasIndexOn(c, "taskId")) {
                    problems.add("no index on sessions(taskId)");
                }
                if (!SqliteSchema.hasIndexOn(c, "createdAt")) {
                    problems.add("no index on sessions(createdAt)");
                }
                progress.phase("verifying: rows checked", rowCount(c));
                try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("SELECT * FROM sessions")) {
                    count = JdbcRecords.verifyRows(rs, SqliteRows.FORMAT, problems, progress);
                }
            }
        } catch (SQLException e) {
            if (!SqliteErrors.isCorruption(e)) {
                throw SqliteErrors.map(e, file, "verifying", s.sqliteBusyTimeoutMillis());
            }
            problems.add("the database is damaged (" + SqliteErrors.name(e) + "): " + e.getMessage());
        }
        return new VerifyReport(problems.isEmpty(), count, List.copyOf(problems));
    }

    /** The rows of the sessions table, the total of verify's row check; -1 (unknown) when even that cannot be counted. */
    private static long rowCount(Connection c) {
        try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("SELECT count(*) FROM sessions")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1; // damaged: the row check that follows reports it
        }
    }

    @Override
    public RepairReport repair(Settings s, Clock clock) {
        return new SqliteRepair(s.sqlitePath().toAbsolutePath(), s.sqliteBusyTimeoutMillis(), clock).run();
    }

    /** {@link #repair(Settings, Clock)}, each step and its counts on {@code progress} (see {@link SqliteRepair}). */
    @Override
    public RepairReport repair(Settings s, Clock clock, dev.minsky.store.Progress progress) {
        return new SqliteRepair(s.sqlitePath().toAbsolutePath(), s.sqliteBusyTimeoutMillis(), clock, progress).run();
    }

    // ---- what the core asks a backend (StoreProvider's defaults, issue 9.1)

    @Override
    public String displayName() {
        return "SQLite";
    }

    @Override
    public String storeFileName() {
        return Settings.SQLITE_FILE;
    }

    @Override
    public Path storeFile(Settings s) {
        return s.sqlitePath();
    }

    /** Files SQLite keeps beside a database; copied and restored together with it so no committed work is lost. */
    @Override
    public List<String> companionSuffixes() {
        return List.of("-wal", "-shm", "-journal");
    }

    @Override
    public Settings atFile(Settings s, Path file) {
        return new Settings(id(), s.stateDir(), file.getParent(), s.jsonPath(), file, s.connectionString(), s.maxConnections(),
                s.idleTimeoutMillis(), s.sqliteBusyTimeoutMillis(), s.connectionWaitMillis());
    }

    /** {@code sessiondb.dbPath}: the file itself (its name need not be sessions.db). */
    @Override
    public java.util.Map<String, String> configFor(Path file) {
        return java.util.Map.of("sessiondb.dbPath", file.toString());
    }

    @Override
    public long countSessions(Path file) {
        return SqliteFiles.countSessions(file);
    }

    /** Through a connection whose close never checkpoints a {@code -wal}: counting changes nothing. */
    @Override
    public SessionStore openForReading(Settings s) {
        return SqliteSessionStore.forReading(s.sqlitePath().toAbsolutePath(), s.sqliteBusyTimeoutMillis());
    }

    /** Loads the JDBC driver and its native library (tens of milliseconds) before the first probe needs it. */
    @Override
    public void warmUp() {
        try {
            SqliteNative.prepare();
            Class.forName("org.sqlite.JDBC");
            org.sqlite.SQLiteJDBCLoader.initialize();
            // every connection's config formats dates with this pattern: its first use reads the JDK's
            // calendar and locale data (30-40 ms in a fresh JVM), cached by the driver for the run
            org.sqlite.date.FastDateFormat.getInstance(org.sqlite.SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
        } catch (Exception | LinkageError e) {
            // the probe that opens the database reports a driver that cannot load
        }
    }

    static {
        // the driver logs its own loading trouble with a trace; the probe and the error handler say it
        // in words. Set before the driver's first class asks SLF4J for its logger (it is only reached
        // through this provider).
        System.setProperty("org.slf4j.simpleLogger.log.org.sqlite", "off");
    }

    /** SQLite is the default backend (product.md: sessiondb.backend defaults to sqlite). */
    @Override
    public boolean isDefault() {
        return true;
    }

    @Override
    public java.util.Map<String, dev.minsky.doctor.model.Safety> actions() {
        java.util.Map<String, dev.minsky.doctor.model.Safety> m = new java.util.LinkedHashMap<>();
        m.put("sqlite.checkpoint-wal", dev.minsky.doctor.model.Safety.SAFE);
        m.put("sqlite.enable-wal", dev.minsky.doctor.model.Safety.SAFE);
        m.put("sqlite.recover", dev.minsky.doctor.model.Safety.REVERSIBLE);
        m.put("sqlite.migrate-json-at-path", dev.minsky.doctor.model.Safety.REVERSIBLE);
        m.put("sqlite.delete-wal", dev.minsky.doctor.model.Safety.DESTRUCTIVE);
        m.put("sqlite.show-holder", dev.minsky.doctor.model.Safety.MANUAL);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** What the doctor says wherever it shows the guide's {@code rm sessions.db-wal}. */
    public static final String DELETE_WAL_WARNING = "DESTRUCTIVE: deleting the -wal file silently drops committed "
            + "transactions that were not yet checkpointed into the database. Checkpoint through SQLite instead.";

    @Override
    public String fixedWarning(String action) {
        return "sqlite.delete-wal".equals(action) ? DELETE_WAL_WARNING : null;
    }

    @Override
    public Step prerequisite(String action) {
        return "sqlite.checkpoint-wal".equals(action) ? new Step(
                "Checkpoint the WAL through SQLite so that a copy holds every committed session",
                "sqlite3 ${store.path} 'PRAGMA wal_checkpoint(TRUNCATE);'") : null;
    }

    @Override
    public String schemaVersionFact() {
        return "sqlite.schemaVersion";
    }

    @Override
    public String integrityFact() {
        return "sqlite.quickCheck.ok";
    }

    @Override
    public String integrityDetailFact() {
        return "sqlite.quickCheck";
    }

    @Override
    public List<String> unreadableWhenFalse() {
        return List.of("sqlite.open.ok", "sqlite.quickCheck.ok", "sqlite.header.ok");
    }

    /**
     * The default file in the (XDG) state directory, else a new name beside the configured file or in
     * the state directory; only one whose directory exists and is writable (access(2): a read-only
     * mount says no) and that is free or already holds an SQLite database.
     */
    @Override
    public Path alternativeStoreFile(Path stateDir, Path configured) {
        Path current = configured == null ? null : configured.toAbsolutePath().normalize();
        List<Path> candidates = new ArrayList<>();
        candidates.add(stateDir.resolve("sessions.db"));
        if (current != null && current.getParent() != null) {
            candidates.add(current.getParent().resolve("sessions-new.db"));
        }
        candidates.add(stateDir.resolve("sessions-new.db"));
        for (Path c : candidates) {
            Path p = c.toAbsolutePath().normalize();
            Path dir = p.getParent();
            if (p.equals(current) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                continue;
            }
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || isSqlite(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isSqlite(Path p) {
        byte[] head = new byte[16];
        try (java.io.InputStream in = Files.newInputStream(p)) {
            return Files.isRegularFile(p) && in.readNBytes(head, 0, 16) == 16
                    && new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).equals("SQLite format 3\0");
        } catch (IOException e) {
            return false;
        }
    }
}
