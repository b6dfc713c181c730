package dev.minsky.backend.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.JdbcSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema: Minsky's snake_case {@code sessions} table plus an {@code extra} jsonb
 * column for fields without a column of their own. Version 1 is the table as Minsky makes it;
 * version 2 adds {@code extra}, the indexes and {@code minsky_meta}, which records the version.
 */
final class PostgresSchema {
    static final int MINSKY_ORIGINAL = 1;
    static final int CURRENT = 2;
    static final String INDEX_TASK = "idx_sessions_task_id";
    static final String INDEX_CREATED = "idx_sessions_created_at";
    /** The names in byte order (the primary key sorts by the database's collation): the doctor's first names are an index walk. */
    static final String INDEX_SESSION_C = "idx_sessions_session_c";

    /** Every column, in table order: Minsky's fields in snake_case, then {@code extra}. */
    static final List<String> NAMES = JdbcRecords.columns(PostgresRows::column);

    private PostgresSchema() {}

    static String type(String column) {
        return switch (column) {
            case "session" -> "text PRIMARY KEY";
            case "repo_name" -> "text NOT NULL";
            case "created_at" -> "timestamptz NOT NULL";
            case "pr_approved" -> "boolean";
            case "pr_state", "pull_request", JdbcRecords.EXTRA -> "jsonb";
            default -> "text";
        };
    }

    /**
     * @param table the sessions table exists (in the connection's search path)
     * @param columns its columns
     * @param version recorded version; 1 for a table without minsky_meta; 0 without a table
     */
    record State(boolean table, List<String> columns, int version) {
        boolean current() {
            return table && version == CURRENT && columns.containsAll(NAMES);
        }
    }

    static State read(Connection c) throws SQLException {
        boolean table;
        boolean meta;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('sessions') IS NOT NULL, to_regclass('minsky_meta') IS NOT NULL")) {
            rs.next();
            table = rs.getBoolean(1);
            meta = rs.getBoolean(2);
        }
        if (!table) {
            return new State(false, List.of(), 0);
        }
        List<String> cols = new java.util.ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT attname FROM pg_attribute WHERE attrelid = 'sessions'::regclass"
                     + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            while (rs.next()) {
                cols.add(rs.getString(1));
            }
        }
        int version = meta ? JdbcSchema.recordedVersion(c, MINSKY_ORIGINAL) : MINSKY_ORIGINAL;
        return new State(true, List.copyOf(cols), version);
    }

    static boolean hasIndexOn(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                        + " WHERE i.indrelid = 'sessions'::regclass AND a.attname = ?")) {
            ps.setString(1, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Creates the schema or adds what an older one lacks; never drops or retypes anything. Runs in
     * the caller's transaction, serialized between processes by an advisory lock.
     */
    static void upgrade(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('minsky.sessions.schema'))");
        }
        State s = read(c);
        if (s.version() > CURRENT) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the sessions table at " + where + " has schema version "
                    + s.version() + ", newer than this minsky knows (" + CURRENT + ")", "use the newer minsky that wrote it; nothing was changed");
        }
        try (Statement st = c.createStatement()) {
            JdbcSchema.createOrAddColumns(st, s.table(), s.columns(), NAMES, PostgresSchema::type);
            st.execute("CREATE INDEX IF NOT EXISTS " + INDEX_TASK + " ON sessions (task_id)");
            // Byte order for names, as in the other backends, and the index serves a page of the list.
            st.execute("CREATE INDEX IF NOT EXISTS " + INDEX_CREATED + " ON sessions (created_at, session COLLATE \"C\")");
            st.execute("CREATE INDEX IF NOT EXISTS " + INDEX_SESSION_C + " ON sessions (session COLLATE \"C\")");
            st.execute("CREATE TABLE IF NOT EXISTS minsky_meta (key text PRIMARY KEY, value text NOT NULL)");
            st.execute("INSERT INTO minsky_meta (key, value) VALUES ('schemaVersion', '" + CURRENT + "')"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        }
    }
}
