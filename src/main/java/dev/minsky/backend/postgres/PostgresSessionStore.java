package dev.minsky.backend.postgres;

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

    /** A range count is a scan on PostgreSQL: the census counts every cutoff in one pass over the createdAt index. */
    @Override
    protected boolean censusInOneScan() {
        return true;
    }

    /**
     * The database's collation may sort by locale; "C" sorts by code point, as the doctor's names are sorted
     * (the index {@link PostgresSchema#INDEX_SESSION_C} serves this order: the first names are read, not sorted).
     */
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

    /** {@code sessiondb.idleTimeout}: an open connection idle longer than this is closed (0: never). */
    private long idleTimeoutMillis;
    private long lastUsed;

    void idleTimeout(int millis) {
        idleTimeoutMillis = Math.max(0, millis);
    }

    private Connection connection() {
        if (opened() != null && PgIdle.expired(lastUsed, idleTimeoutMillis)) {
            close(); // idle too long: a pooler or firewall may have dropped it; the slot goes back to the server
        }
        if (opened() == null) {
            opened(PostgresConnector.connect(url));
        }
        lastUsed = System.nanoTime();
        PgIdle.closeWhenIdle(this, idleTimeoutMillis, () -> lastUsed);
        return opened();
    }

    /** Called by the idle timer: closes the connection when nothing used it for idleTimeout. */
    synchronized void closeIfIdle() {
        if (opened() != null && PgIdle.expired(lastUsed, idleTimeoutMillis)) {
            close();
        }
    }

    /** Behind a transaction pooler: reconnect without server-side prepared statements, once. */
    private boolean poolerFallback(SQLException e, boolean already) {
        if (already || !PgConnectRetry.preparedStatementClash(e)) {
            return false;
        }
        PgPooler.fellBack(url, e);
        close();
        return true;
    }

    @Override
    protected <T> T read(Work<T> work, T whenMissing) {
        return guarded(work, false, whenMissing, "reading the sessions table");
    }

    /**
     * One write transaction. A lock on {@code sessions} held by another client is waited for
     * within the deadline ({@code MINSKY_POSTGRES_WAIT_MS}): after about a second the command says
     * once whom it waits for (pid, application, client, how long its transaction has been open);
     * when the deadline passes it fails with exit 3 and nothing written. Reads wait the same way
     * (each runs in a short transaction of its own, so that its lock_timeout is SET LOCAL).
     */
    @Override
    protected <T> T write(Work<T> work) {
        return guarded(work, true, null, "writing the sessions table");
    }

    private <T> T guarded(Work<T> work, boolean write, T whenMissing, String doing) {
        // The lock wait starts once a connection is open: the login has a budget of its own
        // (PostgresConnector.connect), and a slow login must not use up the wait for a lock.
        connection();
        long start = System.nanoTime();
        long deadline = start + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(PgConnectRetry.waitMillis());
        boolean fellBack = false;
        boolean told = false;
        while (true) {
            Connection c = connection();
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                return once(c, work, write, whenMissing, told ? left : Math.min(PgConnectRetry.NOTICE_AFTER_MS, left));
            } catch (SQLException e) {
                if (poolerFallback(e, fellBack)) {
                    fellBack = true;
                    continue;
                }
                if (!PgLocks.lockNotAvailable(e)) {
                    throw PostgresConnector.statementError(url, e, doing);
                }
                PgLocks.Holder h = PgLockWait.holderQuietly(c);
                if (System.nanoTime() >= deadline - 50_000_000L) {
                    throw PgLockWait.gaveUp(url, h, System.nanoTime() - start, write);
                }
                if (!told) {
                    PgLockWait.waiting(url, h, PgConnectRetry.waitMillis());
                    told = true;
                }
            }
        }
    }

    private <T> T once(Connection c, Work<T> work, boolean write, T whenMissing, long lockTimeoutMillis) throws SQLException {
        boolean done = false;
        try {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                // transaction-scoped (SET LOCAL): nothing stays behind on a pooled server connection
                st.execute("SET LOCAL lock_timeout = " + PgLocks.timeout(lockTimeoutMillis));
            }
            PostgresSchema.State s = PostgresSchema.read(c);
            T result;
            if (!write) {
                result = s.table() ? work.run(c) : whenMissing;
            } else {
                if (!s.table()) {
                    PostgresSchema.upgrade(c, url.masked());
                } else if (!s.current()) {
                    throw new MinskyException(ExitCode.INCOMPLETE,
                            "the sessions table at " + url.masked() + " has schema version " + s.version()
                                    + " (this minsky writes version " + PostgresSchema.CURRENT + "); nothing was written",
                            "upgrade it with 'minsky doctor --fix' or 'minsky sessiondb init --backend postgres --force'"
                                    + " (both keep every record and take a backup first), then run the command again");
                }
                result = work.run(c);
            }
            if (!c.getAutoCommit()) { // a read that streamed through a cursor ends its own transaction
                c.commit();
            }
            done = true;
            return result;
        } finally {
            try {
                if (!done && !c.getAutoCommit()) {
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
