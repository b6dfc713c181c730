package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite broken states, built for real, and the facts that tell them apart. */
class SqliteProbesTest {
    @TempDir
    Path home;

    private static double num(Map<String, Object> f, String id) {
        Object v = f.get(id);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Test
    void a_live_process_holding_the_write_lock_is_named_and_the_lock_is_unavailable() throws Exception {
        try (BrokenStates.Built b = BrokenStates.liveWriteLock(home)) {
            Map<String, Object> f = Probes.facts(home);
            assertEquals(false, f.get("sqlite.writeLock.available"), f.toString());
            assertTrue(f.get("sqlite.writeLock.errorCode").toString().startsWith("SQLITE_BUSY"), f.toString());
            assertEquals(1.0, num(f, "sqlite.holders.count"));
            assertTrue(f.get("sqlite.holders").toString().contains("pid " + b.holderPid() + ":"));
            assertTrue(f.get("sqlite.holders").toString().contains("SqliteHolder"));
            assertEquals(true, f.get("sqlite.open.ok"), "a live writer does not stop readers in WAL mode");
            assertEquals(false, f.get("store.openSafe"));
        }
    }

    @Test
    void a_killed_writer_leaves_committed_work_in_the_wal_and_the_probes_neither_checkpoint_nor_delete_it() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 5);
        Path wal = SqliteFiles.wal(b.store());
        long walBytes = Files.size(wal);
        long dbBytes = Files.size(b.store());
        long walMtime = Files.getLastModifiedTime(wal).toMillis();
        long shmMtime = Files.getLastModifiedTime(SqliteFiles.shm(b.store())).toMillis();
        Map<String, Object> f = Probes.facts(home);
        assertEquals(true, f.get("sqlite.wal.exists"));
        assertEquals(true, f.get("sqlite.shm.exists"));
        assertEquals((double) walBytes, num(f, "sqlite.wal.bytes"));
        assertTrue(walBytes > 0);
        assertEquals(0.0, num(f, "sqlite.holders.count"));
        assertEquals(true, f.get("sqlite.writeLock.available"));
        assertEquals(true, f.get("sqlite.open.ok"));
        assertEquals(true, f.get("sqlite.quickCheck.ok"));
        assertEquals(false, f.get("store.openSafe"), "opening through the store would checkpoint");
        // nothing changed: not the WAL, not the database, not even the -shm
        assertEquals(walBytes, Files.size(wal));
        assertEquals(dbBytes, Files.size(b.store()));
        assertEquals(walMtime, Files.getLastModifiedTime(wal).toMillis());
        assertEquals(shmMtime, Files.getLastModifiedTime(SqliteFiles.shm(b.store())).toMillis());
        // and the committed sessions are really there, only in the WAL: a snapshot reads them
        assertEquals(b.sessions(), SqliteFiles.countSessions(b.store()));
    }

    @Test
    void overwritten_pages_fail_the_quick_check() throws Exception {
        BrokenStates.corruptPages(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(true, f.get("sqlite.header.ok"));
        boolean openFailed = Boolean.FALSE.equals(f.get("sqlite.open.ok"));
        boolean checkFailed = Boolean.FALSE.equals(f.get("sqlite.quickCheck.ok"));
        assertTrue(openFailed || checkFailed, f.toString());
        if (openFailed) {
            assertTrue(f.get("sqlite.open.errorCode").toString().startsWith("SQLITE_CORRUPT"), f.toString());
        }
        assertEquals(false, f.get("store.openSafe"));
    }

    @Test
    void a_text_file_at_the_path_is_not_a_database() throws Exception {
        BrokenStates.notADatabase(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(false, f.get("sqlite.header.ok"));
        assertEquals(false, f.get("sqlite.looksLikeJson"));
        assertEquals(false, f.get("sqlite.file.empty"));
        assertEquals(false, f.get("sqlite.open.ok"));
        assertTrue(f.get("sqlite.open.errorCode").toString().startsWith("SQLITE_NOTADB"), f.toString());
    }

    @Test
    void a_json_store_at_the_sqlite_path_is_recognised() throws Exception {
        BrokenStates.Built b = BrokenStates.jsonAtSqlitePath(home, 3);
        List<String> before = FileStoreProbesTest.snapshot(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(before, FileStoreProbesTest.snapshot(home));
        assertEquals(false, f.get("sqlite.header.ok"));
        assertEquals(true, f.get("sqlite.looksLikeJson"));
        assertTrue(f.get("sqlite.open.errorCode").toString().startsWith("SQLITE_NOTADB"), f.toString());
        assertFalse(Files.exists(SqliteFiles.wal(b.store())));
    }

    @Test
    void a_database_without_the_sessions_table_opens_but_lacks_it() throws Exception {
        BrokenStates.sqliteWithoutTable(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(true, f.get("sqlite.open.ok"));
        assertEquals(false, f.get("sqlite.table.sessions"));
        assertEquals(false, f.get("store.openSafe"));
    }

    @Test
    void a_read_only_mount_is_seen_from_mountinfo() throws Exception {
        try (BrokenStates.Built b = BrokenStates.readOnlyMount(home, "sqlite")) {
            Map<String, Object> f = Probes.facts(home);
            assertEquals(true, f.get("fs.readonly"), f.toString());
            assertEquals("tmpfs", f.get("fs.type"));
            assertEquals(BrokenStates.stateDir(home).toString(), f.get("fs.mountPoint"));
            assertEquals(false, f.get("store.writable"), "access(2) says EROFS even to root");
            assertEquals(true, f.get("sqlite.open.ok"));
            assertFalse(f.containsKey("probe.sqlite.writeLock.failed"), f.toString());
        }
    }

    @Test
    void a_full_tmpfs_has_no_free_space() throws Exception {
        try (BrokenStates.Built b = BrokenStates.fullDisk(home, "sqlite")) {
            Map<String, Object> f = Probes.facts(home);
            assertEquals("tmpfs", f.get("fs.type"));
            assertEquals(false, f.get("fs.readonly"));
            assertTrue(num(f, "fs.freeBytes") < 8192, f.toString());
            assertTrue(num(f, "fs.totalBytes") > 0);
        }
    }
}
