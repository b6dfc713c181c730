package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The facts that tell the JSON and file-level broken states apart, each built for real. */
class FileStoreProbesTest {
    @TempDir
    Path home;

    private static double num(Map<String, Object> f, String id) {
        Object v = f.get(id);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Every file in the tree, with size and mtime: the probes must leave this exactly as it was. */
    static List<String> snapshot(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.toString().contains("/.config/")).map(p -> {
                try {
                    return root.relativize(p) + " " + (Files.isRegularFile(p) ? Files.size(p) + " "
                            + Files.getLastModifiedTime(p).toMillis() : "dir");
                } catch (Exception e) {
                    return p + " ?";
                }
            }).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_healthy_store_gives_clean_facts_and_is_left_untouched(String backend) throws Exception {
        BrokenStates.Built b = backend.equals("json") ? BrokenStates.healthyJson(home, 5) : BrokenStates.healthySqlite(home, 5);
        List<String> before = snapshot(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(before, snapshot(home), "the probes changed the store's directory");
        assertEquals(true, f.get("config.valid"));
        assertEquals(true, f.get("store.exists"));
        assertEquals(true, f.get("store.readable"));
        assertEquals(true, f.get("store.writable"));
        assertEquals(false, f.get("fs.readonly"));
        assertEquals(true, f.get("store.openSafe"));
        assertEquals(5.0, num(f, "sessions.count"));
        assertEquals(0.0, num(f, "workspaces.orphaned"));
        assertEquals(0.0, num(f, "stores.other.count"));
        assertTrue(num(f, "perf.list.millis") >= 0);
        assertFalse(f.keySet().stream().anyMatch(k -> k.endsWith(".failed")), f.toString());
        if (backend.equals("json")) {
            assertEquals(true, f.get("json.parse.ok"));
            assertEquals(5.0, num(f, "json.parse.completeRecords"));
            assertEquals(0.0, num(f, "json.tempFiles"));
        } else {
            assertEquals(true, f.get("sqlite.header.ok"));
            assertEquals(true, f.get("sqlite.open.ok"));
            assertEquals(true, f.get("sqlite.quickCheck.ok"));
            assertEquals("wal", f.get("sqlite.journalMode"));
            assertEquals(true, f.get("sqlite.table.sessions"));
            assertEquals(true, f.get("sqlite.index.taskId"));
            assertEquals(true, f.get("sqlite.index.createdAt"));
            assertEquals(true, f.get("sqlite.writeLock.available"));
            assertEquals(0.0, num(f, "sqlite.holders.count"));
            assertEquals(false, f.get("sqlite.wal.exists"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_deleted_store_is_absent_in_an_existing_directory_and_nothing_is_created(String backend) throws Exception {
        BrokenStates.Built b = BrokenStates.deletedStore(home, backend);
        List<String> before = snapshot(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(before, snapshot(home));
        assertEquals(false, f.get("store.exists"));
        assertEquals(true, f.get("store.dir.exists"));
        assertEquals(false, f.get("store.openSafe"));
        assertEquals(0.0, num(f, "stores.other.count"));
        assertNull(f.get("sqlite.open.ok"));
        assertNull(f.get("json.parse.ok"));
        assertFalse(Files.exists(b.store()));
    }

    @Test
    void a_truncated_json_store_ends_mid_document_and_counts_the_complete_records() throws Exception {
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 6);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(false, f.get("json.parse.ok"));
        assertEquals(true, f.get("json.parse.endsMidDocument"));
        assertEquals(false, f.get("json.binary"));
        assertEquals((double) b.sessions(), num(f, "json.parse.completeRecords"));
        assertEquals(1.0, num(f, "json.tempFiles"));
        assertEquals("array", f.get("json.format"));
        assertEquals(false, f.get("store.openSafe"));
    }

    @Test
    void a_garbled_json_store_fails_inside_the_text_and_is_binary() throws Exception {
        BrokenStates.garbledJson(home, 6);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(false, f.get("json.parse.ok"));
        assertEquals(false, f.get("json.parse.endsMidDocument"));
        assertEquals(true, f.get("json.binary"));
        assertTrue(num(f, "json.parse.offset") > 0);
        assertTrue(num(f, "json.parse.line") >= 1);
        assertTrue(num(f, "json.parse.completeRecords") < 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_directory_where_the_file_belongs(String backend) throws Exception {
        BrokenStates.directoryAtStorePath(home, backend);
        List<String> before = snapshot(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(before, snapshot(home));
        assertEquals(true, f.get("store.exists"));
        assertEquals(true, f.get("store.isDirectory"));
        assertEquals(false, f.get("store.openSafe"));
        if (backend.equals("sqlite")) {
            assertEquals(false, f.get("sqlite.open.ok"), f.toString());
            assertTrue(f.get("sqlite.open.errorCode").toString().startsWith("SQLITE_"), f.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_misconfigured_base_dir_points_at_nothing_while_the_real_store_sits_at_the_default_place(String backend)
            throws Exception {
        BrokenStates.Built b = BrokenStates.misconfiguredBaseDir(home, backend);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(false, f.get("store.exists"));
        assertEquals(1.0, num(f, "stores.other.count"), f.toString());
        assertEquals((double) b.sessions(), num(f, "stores.other.maxSessions"));
        assertEquals(backend, f.get("stores.other.bestBackend"));
        assertTrue(f.get("stores.other.bestPath").toString().startsWith(BrokenStates.stateDir(home).toString()));
        assertEquals(false, f.get("stores.doubledPath"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_doubled_minsky_path_is_found_with_its_sessions(String backend) throws Exception {
        BrokenStates.Built b = BrokenStates.doubledPath(home, backend);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(false, f.get("store.exists"));
        assertEquals(true, f.get("stores.doubledPath"));
        assertEquals((double) b.sessions(), num(f, "stores.other.maxSessions"));
        assertTrue(f.get("stores.other.bestPath").toString().contains("/minsky/minsky/"));
    }

    @Test
    void orphaned_and_missing_workspaces_are_counted_by_name() throws Exception {
        BrokenStates.orphanedWorkspaces(home, "json", 2);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(2.0, num(f, "workspaces.orphaned"));
        assertEquals("orphan-0,orphan-1", f.get("workspaces.orphaned.names"));
        assertEquals(1.0, num(f, "workspaces.missing"));
        assertEquals("task-1d-0", f.get("workspaces.missing.names"));
    }

    @Test
    void old_sessions_with_only_an_old_backup() throws Exception {
        BrokenStates.oldSessionsWithoutRecentBackup(home, "sqlite", 4, 30);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(4.0, num(f, "sessions.olderThan90d"));
        assertEquals(4.0, num(f, "sessions.olderThan7d"));
        assertTrue(num(f, "sessions.oldestAgeDays") >= 119);
        assertEquals(1.0, num(f, "backup.count"));
        assertTrue(num(f, "backup.newest.ageDays") >= 29.9, f.toString());
        assertEquals(4.0, num(f, "backup.newest.sessions"));
    }

    @Test
    void old_sessions_without_any_backup_have_no_newest_backup() throws Exception {
        BrokenStates.oldSessionsWithoutRecentBackup(home, "json", 3, -1);
        Map<String, Object> f = Probes.facts(home);
        assertEquals(0.0, num(f, "backup.count"));
        assertNull(f.get("backup.newest.ageDays"));
        assertEquals(3.0, num(f, "sessions.olderThan90d"));
    }

    @Test
    void the_process_open_file_limit_and_descriptors_are_read() {
        Map<String, Object> f = Probes.facts(home);
        assertTrue(num(f, "process.openFileLimit") > 0);
        assertTrue(num(f, "process.openFiles") > 0);
        assertEquals(true, f.get("user.isRoot"));
    }
}
