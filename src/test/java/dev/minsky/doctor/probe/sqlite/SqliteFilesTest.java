package dev.minsky.doctor.probe.sqlite;

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
}
