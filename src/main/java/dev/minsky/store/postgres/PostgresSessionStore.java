package dev.minsky.store.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.jdbc.JdbcRecords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL store: one connection per process (a CLI run needs no pool), opened on first
 * use. Reads run in autocommit; each write is one transaction. A database without the table reads
 * as empty; the first write creates the schema, an older schema is refused until {@code init}
 * upgrades it.
 */
public final class PostgresSessionStore implements SessionStore {
    private static final String COLS = String.join(", ", PostgresSchema.NAMES);

    private final PgUrl url;
    private Connection conn;

    PostgresSessionStore(PgUrl url) {
        this.url = url;
    }

    @Override
    public String backend() {
        return "postgres";
    }

    @Override
    public String location() {
        return url.masked();
    }

    private Connection connection() {
        if (conn == null) {
            conn = PostgresConnector.connect(url);
        }
        return conn;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Work<T> work, T whenMissing) {
        Connection c = connection();
        try {
            if (!PostgresSchema.read(c).table()) {
                return whenMissing;
            }
            return work.run(c);
        } catch (SQLException e) {
            throw PostgresConnector.statementError(url, e, "reading the sessions table");
        }
    }

    private <T> T write(Work<T> work) {
        Connection c = connection();
        boolean done = false;
        try {
            c.setAutoCommit(false);
            PostgresSchema.State s = PostgresSchema.read(c);
            if (!s.table()) {
                PostgresSchema.upgrade(c, url.masked());
            } else if (!s.current()) {
                throw new MinskyException(ExitCode.INCOMPLETE,
                        "the sessions table at " + url.masked() + " has schema version " + s.version()
                                + " (this minsky writes version " + PostgresSchema.CURRENT + "); nothing was written",
                        "upgrade it with 'minsky doctor --fix' or 'minsky sessiondb init --backend postgres --force'"
                                + " (both keep every record and take a backup first), then run the command again");
            }
            T result = work.run(c);
            c.commit();
            done = true;
            return result;
        } catch (SQLException e) {
            throw PostgresConnector.statementError(url, e, "writing the sessions table");
        } finally {
            try {
                if (!done) {
                    c.rollback();
                }
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken; the server rolls the transaction back
            }
        }
    }

    /** Creates the schema when there is no table; an existing one is left as it is (upgrades are init's). */
    synchronized void createIfMissing() {
        boolean table;
        try {
            table = PostgresSchema.read(connection()).table();
        } catch (SQLException e) {
            throw PostgresConnector.statementError(url, e, "looking for the sessions table");
        }
        if (!table) {
            write(c -> null);
        }
    }

    @Override
    public synchronized int schemaVersion() {
        try {
            return PostgresSchema.read(connection()).version();
        } catch (SQLException e) {
            throw PostgresConnector.statementError(url, e, "reading the schema version");
        }
    }

    @Override
    public synchronized long count() {
        return read(JdbcRecords::count, 0L);
    }

    @Override
    public synchronized List<SessionRecord> list(SessionQuery q) {
        return read(c -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM sessions");
            if (q.taskId() != null) {
                sql.append(" WHERE task_id = ?");
            }
            sql.append(" ORDER BY created_at, session COLLATE \"C\"");
            if (q.limit() != null) {
                sql.append(" LIMIT ?");
            }
            sql.append(" OFFSET ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (q.taskId() != null) {
                    ps.setString(i++, q.taskId());
                }
                if (q.limit() != null) {
                    ps.setLong(i++, q.limit());
                }
                ps.setLong(i, q.offset());
                return JdbcRecords.rows(ps, PostgresRows.FORMAT);
            }
        }, List.of());
    }

    @Override
    public synchronized Optional<SessionRecord> get(String session) {
        return read(c -> JdbcRecords.get(c, PostgresRows.FORMAT, session), Optional.empty());
    }

    @Override
    public synchronized void insert(SessionRecord record) {
        JdbcRecords.checkWritable(record);
        write(c -> {
            // ON CONFLICT DO NOTHING: a duplicate must not abort the transaction with an error to parse.
            String sql = JdbcRecords.insertSql(PostgresSchema.NAMES, false) + " ON CONFLICT (session) DO NOTHING";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                JdbcRecords.bind(ps, PostgresRows.FORMAT, record, 0);
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
            StringBuilder sql = new StringBuilder("UPDATE sessions SET (" + COLS + ") = (");
            sql.append("?, ".repeat(PostgresSchema.NAMES.size() - 1)).append("?) WHERE session = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int next = JdbcRecords.bind(ps, PostgresRows.FORMAT, record, 0);
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
    public synchronized boolean delete(String session) {
        return deleteAll(List.of(session)) > 0;
    }

    @Override
    public synchronized int deleteAll(Collection<String> sessions) {
        if (sessions.isEmpty()) {
            return 0;
        }
        if (!read(c -> true, false)) {
            return 0;
        }
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE session = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", sessions.toArray()));
                return ps.executeUpdate();
            }
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

    private static void insertAll(Connection c, Collection<SessionRecord> records) throws SQLException {
        // One statement may not touch a row twice (ON CONFLICT ... cannot affect row a second time): last one wins.
        LinkedHashMap<String, SessionRecord> unique = new LinkedHashMap<>();
        records.forEach(r -> unique.put(r.session(), r));
        JdbcRecords.insertBatched(c, JdbcRecords.insertSql(PostgresSchema.NAMES, true), PostgresRows.FORMAT, unique.values());
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // the server cleans up a dropped connection
            }
            conn = null;
        }
    }
}
