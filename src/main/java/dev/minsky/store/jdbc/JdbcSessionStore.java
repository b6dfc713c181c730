package dev.minsky.store.jdbc;

import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a SQL session store does the same way on every backend: the record operations, on top of
 * the backend's own read and write transactions. A subclass opens its connection, runs
 * {@link #read} and {@link #write} with its own locking and error mapping, and keeps the SQL that
 * is its dialect (listing a page, deleting, reading the schema).
 */
public abstract class JdbcSessionStore implements SessionStore {
    private final RowFormat format;
    private final List<String> columns;
    private Connection conn;

    /**
     * @param format how the backend names, binds and reads its columns
     * @param columns the table's columns in order, the key first (see {@link JdbcRecords#columns})
     */
    protected JdbcSessionStore(RowFormat format, List<String> columns) {
        this.format = format;
        this.columns = columns;
    }

    /** Work on an open connection; the caller maps its SQLException. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read; returns {@code whenMissing} when there is no store or no table yet. Never writes. */
    protected abstract <T> T read(Work<T> work, T whenMissing);

    /** Runs one write transaction (making the store or its table when there is none) and commits it. */
    protected abstract <T> T write(Work<T> work);

    /** The connection this store has open, or null. */
    protected final Connection opened() {
        return conn;
    }

    protected final void opened(Connection c) {
        conn = c;
    }

    @Override
    public synchronized long count() {
        return read(JdbcRecords::count, 0L);
    }

    @Override
    public synchronized Optional<SessionRecord> get(String session) {
        return read(c -> JdbcRecords.get(c, format, session), Optional.empty());
    }

    @Override
    public synchronized void insert(SessionRecord record) {
        JdbcRecords.checkWritable(record);
        write(c -> {
            // DO NOTHING rather than a key violation: no error to tell apart from a real failure.
            try (PreparedStatement ps = c.prepareStatement(JdbcRecords.insertSql(columns, false) + " ON CONFLICT (session) DO NOTHING")) {
                JdbcRecords.bind(ps, format, record, 0);
                if (ps.executeUpdate() == 0) {
                    throw MinskyException.badInput("session '" + record.session() + "' already exists",
                            "choose another name, or 'minsky session get " + record.session() + "' to see it");
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void update(SessionRecord record) {
        JdbcRecords.checkWritable(record);
        write(c -> {
            StringBuilder sql = new StringBuilder("UPDATE sessions SET ");
            List<String> set = columns.subList(1, columns.size());
            for (int i = 0; i < set.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(set.get(i)).append(" = ?");
            }
            sql.append(" WHERE session = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                // The key is not among the SET columns: it is the last parameter, for WHERE.
                int next = JdbcRecords.bind(ps, format, record, 1);
                ps.setString(next, record.session());
                if (ps.executeUpdate() == 0) {
                    throw MinskyException.badInput("no session named '" + record.session() + "'",
                            "'minsky session list' shows the sessions");
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void upsertAll(Collection<SessionRecord> records) {
        records.forEach(JdbcRecords::checkWritable);
        write(c -> {
            insertAll(c, records);
            return null;
        });
    }

    @Override
    public synchronized void replaceAll(Collection<SessionRecord> records) {
        records.forEach(JdbcRecords::checkWritable);
        write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM sessions");
            }
            insertAll(c, records);
            return null;
        });
    }

    /** Adds or replaces the records inside the current write transaction. */
    protected void insertAll(Connection c, Collection<SessionRecord> records) throws SQLException {
        JdbcRecords.upsertBatched(c, columns, format, records);
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing loses nothing committed; the server or SQLite cleans up the rest
            }
            conn = null;
        }
    }
}
