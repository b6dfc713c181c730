package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * SQLite's database files, for the store and for the doctor (one class; the store's and the probes'
 * halves were two classes of the same name before issue 9).
 *
 * <p>The store's half: opening database files, the header check, the connection settings, the -wal
 * and -shm names.
 *
 * <p>The doctor's half (from {@link #MAGIC} on): reading a database without changing it. Opening a WAL database through SQLite is not
 * read-only in effect, as measured with sqlite-jdbc 3.54 (see SqliteFilesTest): even a read-only
 * connection creates {@code -wal} and {@code -shm} when they are missing and leaves them behind,
 * a read-write connection that closes last checkpoints the WAL and deletes it, and opening a
 * database whose WAL was left by a killed writer rewrites the {@code -shm}. So the doctor reads a
 * snapshot copy (database and WAL) in a private temp directory whenever no other process has the
 * database open (nobody can be changing it, so the copy is consistent), and opens the original
 * read-only only when a live process holds it and its WAL files exist (nothing gets created, and a
 * close cannot be the last). When no process has it open and the database file is all there is (no
 * WAL, shared-memory or rollback journal file), it is read in place with {@code immutable=1}: the
 * same bytes a copy would hold, without the copy.
 */
public final class SqliteFiles {
    static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFiles() {}

    public static Path wal(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    public static Path shm(Path db) {
        return db.resolveSibling(db.getFileName() + "-shm");
    }

    /**
     * Throws BAD_INPUT when the file exists, is not empty and does not start with SQLite's header,
     * before SQLite ever opens it: a JSON store or any other file at the SQLite path is left exactly
     * as it is. An empty file is an empty database to SQLite.
     */
    static void checkHeader(Path db) {
        if (Files.isDirectory(db)) {
            throw new MinskyException(ExitCode.INCOMPLETE,
                    "cannot open the database " + db + " (SQLITE_CANTOPEN: the path is a directory)",
                    "move the directory aside or set sessiondb.dbPath to a file; 'minsky doctor' explains");
        }
        if (Files.exists(db) && !Files.isRegularFile(db)) {
            // a FIFO would block this read (and SQLite's open) for ever, a device may never end: refused unopened
            throw MinskyException.badInput("the database " + db + " is not a regular file (a FIFO, a device or a socket); it was not opened",
                    "move it aside or set sessiondb.dbPath to an ordinary file; 'minsky doctor' explains");
        }
        byte[] head = new byte[HEADER.length];
        int n;
        try (InputStream in = Files.newInputStream(db)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            // Unreadable: let SQLite report it with its own code (SQLITE_CANTOPEN, SQLITE_READONLY).
            return;
        }
        if (n == 0) {
            return;
        }
        if (n < HEADER.length || !Arrays.equals(head, HEADER)) {
            throw SqliteErrors.notADatabase(db);
        }
    }

    /**
     * A connection with the busy timeout. Without {@code create} a missing file is an error
     * (SQLITE_CANTOPEN) instead of a new empty database. SQLite opens a file it may not write
     * read-only by itself; writes then fail with SQLITE_READONLY.
     */
    static Connection open(Path db, boolean create, int busyMillis) throws SQLException {
        return config(busyMillis, create, false).createConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    /** Opens a file only for reading (used on copies and by verify). */
    static Connection openReadOnly(Path db, int busyMillis) throws SQLException {
        return config(busyMillis, false, true).createConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    /**
     * A connection that only reads and leaves the files as it found them. A read-only connection to
     * a WAL database without a {@code -wal} creates {@code -wal} and {@code -shm} and can never
     * remove them (only a connection that may write checkpoints and deletes them at the last close),
     * so the next doctor would see WAL files nobody explains. So: when there is no {@code -wal}, a
     * read-write connection with {@code query_only} (it writes nothing, and its last close removes
     * what its open created); when a {@code -wal} exists, read-only, so that closing it never
     * checkpoints someone's WAL into a file that may be damaged.
     */
    static Connection openForReading(Path db, int busyMillis) throws SQLException {
        if (Files.exists(wal(db))) {
            return openReadOnly(db, busyMillis);
        }
        Connection c = open(db, false, busyMillis);
        try {
            exec(c, "PRAGMA query_only = 1");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * A read-only connection to a file whose directory nobody may write (a read-only filesystem):
     * SQLite cannot create the -shm a WAL database needs there, and {@code immutable=1} is the one
     * way it reads such a file. Writes through it fail with SQLITE_READONLY.
     */
    static Connection openImmutable(Path db, int busyMillis) throws SQLException {
        SQLiteConfig cfg = config(busyMillis, false, true);
        cfg.setOpenMode(SQLiteOpenMode.OPEN_URI);
        return cfg.createConnection("jdbc:sqlite:file:" + db.toAbsolutePath().toUri().getRawPath() + "?immutable=1");
    }

    private static SQLiteConfig config(int busyMillis, boolean create, boolean readOnly) {
        SqliteNative.prepare();
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(busyMillis);
        if (!create) {
            cfg.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        if (readOnly) {
            cfg.setReadOnly(true);
        }
        return cfg;
    }

    /** True when SQLite could not make its -shm/-wal files beside the database. */
    static boolean directoryReadOnly(Path db) {
        Path dir = db.toAbsolutePath().getParent();
        return dir != null && Files.isDirectory(dir) && !Files.isWritable(dir);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Switches to WAL; returns the journal mode now in force. */
    static String enableWal(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    // ---- reading a database without changing it (the doctor's probes)

    public static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** Above this size a snapshot costs more than the doctor's budget: open the original read-only. */
    static final long SNAPSHOT_LIMIT = 256L * 1024 * 1024;

    /** The first 100 bytes (fewer when the file is shorter). */
    public static byte[] head(Path db) throws IOException {
        try (InputStream in = Files.newInputStream(db)) {
            return in.readNBytes(100);
        }
    }

    public static boolean headerOk(byte[] head) {
        return head.length >= 16 && Arrays.equals(Arrays.copyOf(head, 16), MAGIC);
    }

    /** The header's write/read format bytes say WAL (2), not a rollback journal (1). */
    public static boolean walHeader(byte[] head) {
        return headerOk(head) && head.length >= 20 && (head[18] == 2 || head[19] == 2);
    }

    /**
     * Whether opening the original through SQLite creates no file: a rollback-journal database, or
     * a WAL database whose -wal and -shm both exist already.
     */
    public static boolean directOpenCreatesNothing(Path db) throws IOException {
        byte[] head = head(db);
        return !walHeader(head) || (Files.exists(wal(db)) && Files.exists(shm(db)));
    }

    /** A connection to read the database with, and what to clean up after it. */
    public static final class Reader implements AutoCloseable {
        private final Connection connection;
        private final Path tempDir;
        private final String how;

        private Reader(Connection connection, Path tempDir, String how) {
            this.connection = connection;
            this.tempDir = tempDir;
            this.how = how;
        }

        public Connection connection() {
            return connection;
        }

        /** "snapshot", "direct read-only" or {@link #IMMUTABLE}. */
        public String how() {
            return how;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a read-only or private connection loses nothing
            }
            if (tempDir != null) {
                deleteTree(tempDir);
            }
        }
    }

    /**
     * Opens the database for reading without changing it (see the class comment).
     *
     * @param liveHolders whether another process has the database or its WAL open
     * @throws SQLException SQLite's own error when it cannot be opened
     */
    public static Reader open(Path db, boolean liveHolders) throws SQLException, IOException {
        // An unreadable file fails SQLite's own open before anything could be created: let SQLite
        // say so, with its error code.
        boolean unreadable = !Files.isReadable(db);
        long size = unreadable ? 0 : Files.size(db) + (Files.exists(wal(db)) ? Files.size(wal(db)) : 0);
        boolean direct = liveHolders || size > SNAPSHOT_LIMIT;
        if (!unreadable && !liveHolders && immutableIsSafe(db)) {
            return new Reader(immutable(db), null, IMMUTABLE);
        }
        if (unreadable || (direct && directOpenCreatesNothing(db))) {
            SqliteNative.prepare();
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setReadOnly(true);
            cfg.setBusyTimeout(200);
            return new Reader(cfg.createConnection("jdbc:sqlite:" + db), null, "direct read-only");
        }
        Path tmp = Files.createTempDirectory("minsky-doctor-sqlite-");
        try {
            Path copy = tmp.resolve("snapshot.db");
            Files.copy(db, copy, StandardCopyOption.COPY_ATTRIBUTES);
            if (Files.exists(wal(db))) {
                Files.copy(wal(db), wal(copy), StandardCopyOption.COPY_ATTRIBUTES);
            }
            copy.toFile().setWritable(true, true);
            SqliteNative.prepare();
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setBusyTimeout(200);
            return new Reader(cfg.createConnection("jdbc:sqlite:" + copy), tmp, "snapshot");
        } catch (IOException | SQLException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** {@link Reader#how()} of a database read in place as immutable. */
    public static final String IMMUTABLE = "immutable read-only";

    /**
     * Whether the database can be read in place with SQLite's {@code immutable=1}, which takes no
     * lock and creates, reads and writes no other file: only when nothing but the database file
     * holds its content (no {@code -wal}, {@code -shm} or {@code -journal} beside it) and the
     * caller knows that no process has it open, so that nothing can change it while it is read.
     * Then the database is exactly what a snapshot copy would hold, without copying it (a copy of
     * a store of a million sessions costs seconds).
     */
    static boolean immutableIsSafe(Path db) throws IOException {
        return Files.isRegularFile(db) && headerOk(head(db)) && !Files.exists(wal(db)) && !Files.exists(shm(db))
                && !Files.exists(db.resolveSibling(db.getFileName() + "-journal"));
    }

    /** A connection with {@code immutable=1} (see {@link #immutableIsSafe}). */
    static Connection immutable(Path db) throws SQLException {
        SqliteNative.prepare();
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        return cfg.createConnection("jdbc:sqlite:file:" + uriPath(db.toAbsolutePath()) + "?immutable=1");
    }

    /** The path as an SQLite URI path: everything but unreserved characters and slashes percent-encoded. */
    static String uriPath(Path p) {
        StringBuilder out = new StringBuilder();
        for (byte b : p.toString().getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || "/-._~".indexOf(ch) >= 0) {
                out.append(ch);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** {@code SQLITE_NOTADB: file is not a database}, from sqlite-jdbc's exception. */
    public static String describe(SQLException e) {
        String code = code(e);
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.startsWith("[")) {
            int close = msg.indexOf(']');
            msg = close > 0 ? msg.substring(close + 1).trim() : msg;
        }
        return code == null ? msg : code + ": " + msg;
    }

    /** SQLite's result code name, possibly extended (e.g. {@code SQLITE_CANTOPEN_ISDIR}); null when unknown. */
    public static String code(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            return se.getResultCode().name();
        }
        String msg = e.getMessage();
        if (msg != null && msg.startsWith("[SQLITE_")) {
            return msg.substring(1, msg.indexOf(']') > 0 ? msg.indexOf(']') : msg.length());
        }
        return null;
    }

    /**
     * Sessions in an SQLite store found lying around, read without changing it; -1 when it is not
     * a readable SQLite database with a sessions table.
     */
    public static long countSessions(Path db) {
        try {
            if (!Files.isRegularFile(db) || !Files.isReadable(db) || !headerOk(head(db))) {
                return -1;
            }
            try (Reader r = open(db, false); Statement st = r.connection().createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (IOException | SQLException | RuntimeException e) {
            return -1;
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a private temp dir: leaving it behind changes nothing of the user's
        }
    }
}
