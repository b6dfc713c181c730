package dev.minsky.store.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQLite store: one connection per process, opened on first use. Reads run in autocommit
 * (in WAL mode they never wait for a writer); every write is its own {@code BEGIN IMMEDIATE}
 * transaction, so it takes the write lock up front and either waits up to the busy timeout or fails
 * with SQLITE_BUSY before changing anything. A missing file reads as empty and is created only by a
 * write. Writes refuse a table of an older schema: upgrading is {@code init}'s explicit job.
 */
public final class SqliteSessionStore implements SessionStore {
    private static final int BATCH = 1000;

    private final Path file;
    private final int busyMillis;
    private Connection conn;

    SqliteSessionStore(Path file, int busyMillis) {
        this.file = file.toAbsolutePath();
        this.busyMillis = busyMillis;
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
        if (conn == null) {
            if (!Files.exists(file)) {
                return null;
            }
            SqliteFiles.checkHeader(file);
            try {
                conn = SqliteFiles.open(file, false, busyMillis);
            } catch (SQLException e) {
                throw SqliteErrors.map(e, file, "opening", busyMillis);
            }
        }
        return conn;
    }

    /** The connection for a write, creating the file and its schema when there is none. */
    private Connection writer() {
        if (conn == null && !Files.exists(file)) {
            SqliteStoreProvider.create(file, busyMillis);
        }
        Connection c = reader();
        if (c == null) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the database " + file + " vanished while opening it",
                    "run the command again");
        }
        return c;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Work<T> work, T whenMissing) {
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
                    conn = SqliteFiles.openImmutable(file, busyMillis);
                    return readWith(conn, work, whenMissing);
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

    /** One write transaction that holds the write lock from its first statement. */
    private <T> T write(Work<T> work) {
        Connection c = writer();
        try {
            SqliteFiles.exec(c, "BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw SqliteErrors.map(e, file, "writing", busyMillis);
        }
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
    public synchronized long count() {
        return read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                rs.next();
                return rs.getLong(1);
            }
        }, 0L);
    }

    @Override
    public synchronized List<SessionRecord> list(SessionQuery q) {
        return read(c -> {
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
                return rows(ps);
            }
        }, List.of());
    }

    private static List<SessionRecord> rows(PreparedStatement ps) throws SQLException {
        List<SessionRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                out.add(SqliteRows.decode(rs, md));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<SessionRecord> get(String session) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sessions WHERE session = ?")) {
                ps.setString(1, session);
                return rows(ps).stream().findFirst();
            }
        }, Optional.empty());
    }

    private static String insertSql(boolean upsert) {
        StringBuilder sb = new StringBuilder("INSERT INTO sessions (");
        sb.append(String.join(", ", SqliteSchema.COLUMNS)).append(") VALUES (");
        sb.append("?, ".repeat(SqliteSchema.COLUMNS.size() - 1)).append("?)");
        if (upsert) {
            sb.append(" ON CONFLICT(session) DO UPDATE SET ");
            List<String> sets = new ArrayList<>();
            for (String col : SqliteSchema.COLUMNS.subList(1, SqliteSchema.COLUMNS.size())) {
                sets.add(col + " = excluded." + col);
            }
            sb.append(String.join(", ", sets));
        }
        return sb.toString();
    }

    private static void bind(PreparedStatement ps, SessionRecord r) throws SQLException {
        Object[] v = SqliteRows.encode(r);
        for (int i = 0; i < v.length; i++) {
            ps.setObject(i + 1, v[i]);
        }
    }

    @Override
    public synchronized void insert(SessionRecord record) {
        SqliteRows.checkWritable(record);
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(insertSql(false))) {
                bind(ps, record);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (SqliteErrors.primary(e) == SqliteErrors.CONSTRAINT) {
                    throw MinskyException.badInput("session '" + record.session() + "' already exists",
                            "choose another name, or 'minsky session get " + record.session() + "' to see it");
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public synchronized void update(SessionRecord record) {
        SqliteRows.checkWritable(record);
        write(c -> {
            StringBuilder sql = new StringBuilder("UPDATE sessions SET ");
            List<String> cols = SqliteSchema.COLUMNS.subList(1, SqliteSchema.COLUMNS.size());
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(cols.get(i)).append(" = ?");
            }
            sql.append(" WHERE session = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Object[] v = SqliteRows.encode(record);
                for (int i = 1; i < v.length; i++) {
                    ps.setObject(i, v[i]);
                }
                ps.setString(v.length, record.session());
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

    @Override
    public synchronized void upsertAll(Collection<SessionRecord> records) {
        records.forEach(SqliteRows::checkWritable);
        write(c -> {
            insertAll(c, records, true);
            return null;
        });
    }

    @Override
    public synchronized void replaceAll(Collection<SessionRecord> records) {
        records.forEach(SqliteRows::checkWritable);
        write(c -> {
            SqliteFiles.exec(c, "DELETE FROM sessions");
            insertAll(c, records, true);
            return null;
        });
    }

    static void insertAll(Connection c, Collection<SessionRecord> records, boolean upsert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(upsert))) {
            int n = 0;
            for (SessionRecord r : records) {
                bind(ps, r);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            if (n % BATCH != 0) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing cannot lose committed data
            }
            conn = null;
        }
    }

    /** Used by the provider's init: creates the file's parent directory when needed. */
    static void createParent(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE,
                    "cannot create the directory " + file.toAbsolutePath().getParent() + ": " + e.getMessage(),
                    "check that the parent directory is writable, or set sessiondb.dbPath elsewhere", e);
        }
    }
}
