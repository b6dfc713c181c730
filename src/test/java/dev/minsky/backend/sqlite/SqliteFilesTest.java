package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Why the doctor reads SQLite from a snapshot: what sqlite-jdbc does to a WAL database when it is
 * merely opened (measured here, so that a driver upgrade that changes it is noticed), and that the
 * doctor's way leaves the files alone.
 */
class SqliteFilesTest {
    @TempDir
    Path home;

    @Test
    void even_a_read_only_connection_creates_wal_and_shm_and_leaves_them_behind() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 2).store();
        assertFalse(Files.exists(SqliteFiles.wal(db)));
        SQLiteConfig ro = new SQLiteConfig();
        ro.setReadOnly(true);
        try (Connection c = ro.createConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
        }
        assertTrue(Files.exists(SqliteFiles.wal(db)), "sqlite-jdbc no longer creates -wal on a read-only open");
        assertTrue(Files.exists(SqliteFiles.shm(db)));
    }

    @Test
    void the_doctors_reader_creates_nothing_and_sees_what_is_only_in_the_wal() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 4);
        long walBytes = Files.size(SqliteFiles.wal(b.store()));
        try (SqliteFiles.Reader r = SqliteFiles.open(b.store(), false); Statement st = r.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            assertEquals(b.sessions(), rs.getInt(1));
            assertEquals("snapshot", r.how());
        }
        assertEquals(walBytes, Files.size(SqliteFiles.wal(b.store())));
        Path clean = BrokenStates.healthySqlite(home.resolve("other"), 1).store();
        SqliteFiles.countSessions(clean);
        assertFalse(Files.exists(SqliteFiles.wal(clean)));
        assertFalse(Files.exists(SqliteFiles.shm(clean)));
    }

    /**
     * A WAL database with nothing beside it and no process holding it is read in place (no copy):
     * SQLite's immutable=1 creates no -wal or -shm, changes no byte, and sees every row; a path
     * with characters a URI must escape opens too.
     */
    @Test
    void a_database_with_nothing_beside_it_is_read_in_place_and_left_exactly_as_it_was() throws Exception {
        Path db = BrokenStates.healthySqlite(home.resolve("odd dir?#%"), 3).store();
        assertTrue(SqliteFiles.walHeader(SqliteFiles.head(db)), "the store is a WAL database");
        byte[] before = Files.readAllBytes(db);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(db);
        try (SqliteFiles.Reader r = SqliteFiles.open(db, false); Statement st = r.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            assertEquals(SqliteFiles.IMMUTABLE, r.how());
            rs.next();
            assertEquals(3, rs.getInt(1));
            try (ResultSet q = st.executeQuery("PRAGMA quick_check")) {
                q.next();
                assertEquals("ok", q.getString(1));
            }
            assertFalse(Files.exists(SqliteFiles.wal(db)));
            assertFalse(Files.exists(SqliteFiles.shm(db)));
        }
        assertFalse(Files.exists(SqliteFiles.wal(db)));
        assertFalse(Files.exists(SqliteFiles.shm(db)));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)));
        assertEquals(modified, Files.getLastModifiedTime(db));
        // a process holding it, or a -wal beside it: never immutable
        try (SqliteFiles.Reader r = SqliteFiles.open(db, true)) {
            assertFalse(SqliteFiles.IMMUTABLE.equals(r.how()), r.how());
        }
        assertFalse(SqliteFiles.IMMUTABLE.equals(howWithStaleWal()));
    }

    private String howWithStaleWal() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home.resolve("stale"), 2);
        try (SqliteFiles.Reader r = SqliteFiles.open(b.store(), false)) {
            return r.how();
        }
    }
}
