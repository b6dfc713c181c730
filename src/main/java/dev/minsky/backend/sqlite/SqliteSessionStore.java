package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.JdbcSessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The SQLite store: one connection per process, opened on first use. Reads run in autocommit
 * (in WAL mode they never wait for a writer); every write is its own {@code BEGIN IMMEDIATE}
 * transaction, so it takes the write lock up front and either waits up to the busy timeout or fails
 * with SQLITE_BUSY before changing anything. A missing file reads as empty and is created only by a
 * write. Writes refuse a table of an older schema: upgrading is {@code init}'s explicit job.
 */
public final class SqliteSessionStore extends JdbcSessionStore {
    private final Path file;
    private final int busyMillis;
    private final boolean forReading;

    SqliteSessionStore(Path file, int busyMillis) {
        this(file, busyMillis, false);
    }

    private SqliteSessionStore(Path file, int busyMillis, boolean forReading) {
        super(SqliteRows.FORMAT, SqliteSchema.COLUMNS);
        this.file = file.toAbsolutePath();
        this.busyMillis = busyMillis;
        this.forReading = forReading;
    }

    /**
     * A store that only reads, through {@link SqliteFiles#openForReading}: its close never
     * checkpoints a {@code -wal} (a count taken in the middle of a fix must not do the checkpoint
     * step's work behind its back) and leaves no {@code -wal}/{@code -shm} of its own. Writes fail.
     */
    public static SqliteSessionStore forReading(Path file, int busyMillis) {
        if (Files.exists(file)) {
            SqliteFiles.checkHeader(file);
        }
        return new SqliteSessionStore(file, busyMillis, true);
    }

    public Path file() {
        return file;
    }

    @Override
    public String backend() {
        return "sqlite";
    }

    @Override
    public String location() {
        return file.toString();
    }

    /** The open connection, or null when the file does not exist (nothing to read). */
    private Connection reader() {
        if (opened() == null) {
            if (!Files.exists(file)) {
                return null;
            }
            SqliteFiles.checkHeader(file);
            try {
                opened(forReading ? SqliteFiles.openForReading(file, busyMillis) : SqliteFiles.open(file, false, busyMillis));
            } catch (SQLException e) {
                throw SqliteErrors.map(e, file, "opening", busyMillis);
            }
        }
        return opened();
    }

    /** The connection for a write, creating the file and its schema when there is none. */
    private Connection writer() {
        if (opened() == null && !Files.exists(file)) {
            SqliteStoreProvider.create(file, busyMillis);
        }
        Connection c = reader();
        if (c == null) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the database " + file + " vanished while opening it",
                    "run the command again");
        }
        return c;
    }

    @Override
    protected <T> T read(Work<T> work, T whenMissing) {
        Connection c = reader();
        if (c == null) {
            return whenMissing;
        }
        try {
            return readWith(c, work, whenMissing);
        } catch (SQLException e) {
            if (SqliteErrors.primary(e) == SqliteErrors.CANTOPEN && SqliteFiles.directoryReadOnly(file)) {
                // A WAL database on a read-only filesystem: readable only as immutable. Writes then
                // fail with SQLITE_READONLY, which names the real problem.
                close();
                try {
                    opened(SqliteFiles.openImmutable(file, busyMillis));
                    return readWith(opened(), work, whenMissing);
                } catch (SQLException e2) {
                    throw SqliteErrors.map(e2, file, "reading", busyMillis);
                }
            }
            throw SqliteErrors.map(e, file, "reading", busyMillis);
        }
    }

    private static <T> T readWith(Connection c, Work<T> work, T whenMissing) throws SQLException {
        if (!SqliteSchema.read(c).table()) {
            return whenMissing;
        }
        return work.run(c);
    }

    /**
     * {@code BEGIN IMMEDIATE} within the busy budget. SQLite's busy handler waits for the write lock,
     * but some SQLITE_BUSY come back at once (another connection recovering or restarting the WAL),
     * so a BUSY before the deadline is retried with what is left of the budget. After a second of
     * waiting it says on stderr what it waits for, once.
     */
    private void beginImmediate(Connection c) {
        long start = System.nanoTime();
        long deadline = start + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(busyMillis);
        boolean told = false;
        int attempt = 0;
        while (true) {
            long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            // the first try waits at most a second, so a long wait is announced before it is waited
            int wait = (int) Math.max(0, told || busyMillis <= 1000 ? left : Math.min(left, 1000));
            try {
                SqliteFiles.exec(c, "PRAGMA busy_timeout = " + wait);
                SqliteFiles.exec(c, "BEGIN IMMEDIATE");
                if (attempt > 0 || told) {
                    SqliteFiles.exec(c, "PRAGMA busy_timeout = " + busyMillis);
                }
                return;
            } catch (SQLException e) {
                int p = SqliteErrors.primary(e);
                boolean busy = p == SqliteErrors.BUSY || p == SqliteErrors.LOCKED;
                if (!busy || System.nanoTime() - deadline >= 0) {
                    throw SqliteErrors.map(e, file, "writing", busyMillis);
                }
                if (!told && System.nanoTime() - start >= java.util.concurrent.TimeUnit.SECONDS.toNanos(1)) {
                    told = true;
                    System.err.println("minsky: waiting for the write lock of " + file + " (another process is writing), for up to "
                            + busyMillis / 1000 + " s");
                }
                attempt++;
                try {
                    Thread.sleep(Math.min(50, 5L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw SqliteErrors.map(e, file, "writing", busyMillis);
                }
            }
        }
    }

    /** One write transaction that holds the write lock from its first statement. */
    @Override
    protected <T> T write(Work<T> work) {
        Connection c = writer();
        beginImmediate(c);
        boolean done = false;
        try {
            SqliteSchema.State s = SqliteSchema.read(c);
            if (!s.table()) {
                // An empty database file (e.g. zero bytes): creating the table is purely additive.
                SqliteSchema.upgrade(c, file);
            } else if (!s.current()) {
                throw new MinskyException(ExitCode.INCOMPLETE,
                        "the database " + file + " has schema version " + s.version() + " (this minsky writes version "
                                + SqliteSchema.CURRENT + "); nothing was written",
                        "upgrade it with 'minsky doctor --fix' or 'minsky sessiondb init --backend sqlite --force' "
                                + "(both keep every record and take a backup first), then run the command again");
            }
            T result = work.run(c);
            SqliteFiles.exec(c, "COMMIT");
            done = true;
            return result;
        } catch (SQLException e) {
            throw SqliteErrors.map(e, file, "writing", busyMillis);
        } finally {
            if (!done) {
                try {
                    SqliteFiles.exec(c, "ROLLBACK");
                } catch (SQLException ignored) {
                    // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing more to undo
                }
            }
        }
    }

    @Override
    public synchronized int schemaVersion() {
        Connection c = reader();
        if (c == null) {
            return 0;
        }
        try {
            return SqliteSchema.read(c).version();
        } catch (SQLException e) {
            throw SqliteErrors.map(e, file, "reading", busyMillis);
        }
    }

    @Override
    public synchronized void each(SessionQuery q, java.util.function.Consumer<? super SessionRecord> sink) {
        read(c -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM sessions");
            if (q.taskId() != null) {
                sql.append(" WHERE taskId = ?");
            }
            sql.append(" ORDER BY createdAt, session LIMIT ? OFFSET ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (q.taskId() != null) {
                    ps.setString(i++, q.taskId());
                }
                ps.setLong(i++, q.limit() == null ? -1 : q.limit());
                ps.setLong(i, q.offset());
                JdbcRecords.rows(ps, SqliteRows.FORMAT, sink);
                return null;
            }
        }, null);
    }

    @Override
    public synchronized boolean delete(String session) {
        if (reader() == null) {
            return false;
        }
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE session = ?")) {
                ps.setString(1, session);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public synchronized int deleteAll(Collection<String> sessions) {
        if (sessions.isEmpty() || reader() == null) {
            return 0;
        }
        return write(c -> {
            int removed = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE session = ?")) {
                for (String s : sessions) {
                    ps.setString(1, s);
                    removed += ps.executeUpdate();
                }
            }
            return removed;
        });
    }

    /** Used by the provider's init: creates the file's parent directory when needed. */
    static void createParent(Path file) {
        try {
            dev.minsky.util.PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE,
                    "cannot create the directory " + file.toAbsolutePath().getParent() + ": " + e.getMessage(),
                    "check that the parent directory is writable, or set sessiondb.dbPath elsewhere", e);
        }
    }
}
