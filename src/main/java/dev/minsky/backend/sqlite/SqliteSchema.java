package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.JdbcSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQLite schema: Minsky's own {@code sessions} table (camelCase columns) plus one {@code extra}
 * column holding, as JSON, every field that has no column of its own, so that unknown fields
 * survive. Version 1 is a table as Minsky itself makes it (no meta table); version 2 adds
 * {@code extra}, the indexes and the {@code minsky_meta} table that records the version.
 */
final class SqliteSchema {
    /** A table made by Minsky itself: no meta table, no extra column. */
    static final int MINSKY_ORIGINAL = 1;
    static final int CURRENT = 2;
    static final String TABLE = "sessions";
    static final String META = JdbcSchema.META;
    static final String EXTRA = JdbcRecords.EXTRA;
    static final String INDEX_TASK = "idx_sessions_taskId";
    static final String INDEX_CREATED = "idx_sessions_createdAt";

    /** Every column this build writes, in table order. */
    static final List<String> COLUMNS = JdbcRecords.columns(field -> field);

    private SqliteSchema() {}

    static String type(String column) {
        return switch (column) {
            case "session" -> "TEXT PRIMARY KEY";
            case "repoName", "createdAt" -> "TEXT NOT NULL";
            case "prApproved" -> "INTEGER";
            default -> "TEXT";
        };
    }

    /**
     * What a database holds now.
     *
     * @param table the sessions table exists
     * @param columns its columns, in order
     * @param version the recorded schema version, 1 for a table without a meta table, 0 without a table
     */
    record State(boolean table, Set<String> columns, int version) {
        /** True when this build can write to it without losing anything. */
        boolean current() {
            return table && version == CURRENT && columns.containsAll(COLUMNS);
        }
    }

    static State read(Connection c) throws SQLException {
        Set<String> cols = new LinkedHashSet<>();
        boolean meta = false;
        boolean table = false;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('"
                     + TABLE + "', '" + META + "')")) {
            while (rs.next()) {
                if (TABLE.equals(rs.getString(1))) {
                    table = true;
                } else {
                    meta = true;
                }
            }
        }
        if (table) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + TABLE + ")")) {
                while (rs.next()) {
                    cols.add(rs.getString("name"));
                }
            }
        }
        int version = table ? MINSKY_ORIGINAL : 0;
        if (meta) {
            version = JdbcSchema.recordedVersion(c, version);
        }
        return new State(table, cols, version);
    }

    /** Names of the indexes on the sessions table whose first column is the given one. */
    static boolean hasIndexOn(Connection c, String column) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA index_list(" + TABLE + ")")) {
            while (rs.next()) {
                indexes.add(rs.getString("name"));
            }
        }
        for (String ix : indexes) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) WHERE seqno = 0")) {
                ps.setString(1, ix);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && column.equals(rs.getString(1))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Creates the schema or brings an older one up to {@link #CURRENT}, only by adding: columns,
     * indexes, the meta table. Must run inside a write transaction.
     */
    static void upgrade(Connection c, Path file) throws SQLException {
        State s = read(c);
        if (s.version() > CURRENT) {
            throw new MinskyException(ExitCode.INCOMPLETE,
                    "the database " + file + " has schema version " + s.version() + ", newer than this minsky knows ("
                            + CURRENT + ")",
                    "use the newer minsky that wrote it; nothing was changed");
        }
        try (Statement st = c.createStatement()) {
            JdbcSchema.createOrAddColumns(st, s.table(), s.columns(), COLUMNS, SqliteSchema::type);
            st.execute("CREATE INDEX IF NOT EXISTS " + INDEX_TASK + " ON " + TABLE + " (taskId)");
            // createdAt then session: the order of every list, so a page is read straight off the index.
            st.execute("CREATE INDEX IF NOT EXISTS " + INDEX_CREATED + " ON " + TABLE + " (createdAt, session)");
            st.execute("CREATE TABLE IF NOT EXISTS " + META + " (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + META + " (key, value) VALUES ('schemaVersion', ?)")) {
            ps.setString(1, Integer.toString(CURRENT));
            ps.executeUpdate();
        }
    }
}
