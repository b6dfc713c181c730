package dev.minsky.store.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opening database files: the header check, the connection settings, the -wal and -shm names. */
final class SqliteFiles {
    static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFiles() {}

    static Path wal(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    static Path shm(Path db) {
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
}
