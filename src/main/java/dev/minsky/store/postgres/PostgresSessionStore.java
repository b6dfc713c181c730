package dev.minsky.store.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.JdbcSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The PostgreSQL store: one connection per process (a CLI run needs no pool), opened on first
 * use. Reads run in autocommit; each write is one transaction. A database without the table reads
 * as empty; the first write creates the schema, an older schema is refused until {@code init}
 * upgrades it.
 */
public final class PostgresSessionStore extends JdbcSessionStore {
    private final PgUrl url;

    PostgresSessionStore(PgUrl url) {
        super(PostgresRows.FORMAT, PostgresSchema.NAMES);
        this.url = url;
    }

    /** created_at is a timestamptz: compared with a time, not with text. */
    @Override
    protected Object createdAtParameter(java.time.Instant t) {
        return java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
    }

    @Override
    protected java.time.Instant createdAtValue(java.sql.ResultSet rs, int index) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(index, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The database's collation may sort by locale; "C" sorts by code point, as the doctor's names are sorted. */
    @Override
    protected String inJavaOrder(String column) {
        return column + " COLLATE \"C\"";
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
        if (opened() == null) {
            opened(PostgresConnector.connect(url));
        }
        return opened();
    }

    @Override
    protected <T> T read(Work<T> work, T whenMissing) {
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

    @Override
    protected <T> T write(Work<T> work) {
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
    public synchronized void each(SessionQuery q, java.util.function.Consumer<? super SessionRecord> sink) {
        read(c -> {
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
                JdbcRecords.rows(ps, PostgresRows.FORMAT, sink);
                return null;
            }
        }, null);
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
    protected void insertAll(Connection c, Collection<SessionRecord> records) throws SQLException {
        // One statement may not touch a row twice (ON CONFLICT ... cannot affect row a second time): last one wins.
        LinkedHashMap<String, SessionRecord> unique = new LinkedHashMap<>();
        records.forEach(r -> unique.put(r.session(), r));
        super.insertAll(c, unique.values());
    }
}
