package dev.minsky.config;

import java.nio.file.Path;

/**
 * The effective store settings after all config layers are merged.
 *
 * @param backend json, sqlite or postgres
 * @param stateDir minsky's state directory (backups, logs, workspaces live here)
 * @param baseDir where the JSON file and the default SQLite file live
 * @param jsonPath the JSON store file
 * @param sqlitePath the SQLite database file
 * @param connectionString PostgreSQL URL; may be null; contains a password: never print it unmasked
 * @param maxConnections PostgreSQL connection limit
 * @param idleTimeoutMillis PostgreSQL idle timeout
 * @param sqliteBusyTimeoutMillis how long an SQLite write waits for another process's lock
 *     ({@code MINSKY_SQLITE_BUSY_TIMEOUT_MS}; tests shorten it)
 * @param connectionWaitMillis how long a PostgreSQL command waits for a free connection slot
 *     ({@code sessiondb.connectionWait}, {@code MINSKY_POSTGRES_WAIT_MS}; default
 *     {@value #DEFAULT_CONNECTION_WAIT_MILLIS})
 */
public record Settings(String backend, Path stateDir, Path baseDir, Path jsonPath, Path sqlitePath,
                       String connectionString, int maxConnections, int idleTimeoutMillis, int sqliteBusyTimeoutMillis,
                       int connectionWaitMillis) {

    public static final String JSON_FILE = "session-db.json";
    public static final String SQLITE_FILE = "sessions.db";
    /**
     * Issue 13: 16 writers on a busy 2-core machine wait their turn for tens of seconds; a write
     * that gives up after 5 s is a failed command. The same budget as the JSON store's lock.
     */
    public static final int DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS = 120_000;
    /**
     * Issue 10: 32 clients queueing for 17 slots on a busy machine wait their turn for many
     * seconds; 30 s as HikariCP's connectionTimeout (PgBouncer queues for 120 s).
     */
    public static final int DEFAULT_CONNECTION_WAIT_MILLIS = 30_000;

    public Settings(String backend, Path stateDir, Path baseDir, Path jsonPath, Path sqlitePath,
                    String connectionString, int maxConnections, int idleTimeoutMillis, int sqliteBusyTimeoutMillis) {
        this(backend, stateDir, baseDir, jsonPath, sqlitePath, connectionString, maxConnections, idleTimeoutMillis,
                sqliteBusyTimeoutMillis, DEFAULT_CONNECTION_WAIT_MILLIS);
    }

    public Settings(String backend, Path stateDir, Path baseDir, Path jsonPath, Path sqlitePath,
                    String connectionString, int maxConnections, int idleTimeoutMillis) {
        this(backend, stateDir, baseDir, jsonPath, sqlitePath, connectionString, maxConnections, idleTimeoutMillis,
                DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS);
    }

    public Path backupsDir() {
        return stateDir.resolve("backups");
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path workspacesDir() {
        return stateDir.resolve("sessions");
    }

    public Settings withBackend(String other) {
        return new Settings(other, stateDir, baseDir, jsonPath, sqlitePath, connectionString, maxConnections,
                idleTimeoutMillis, sqliteBusyTimeoutMillis, connectionWaitMillis);
    }
}
