package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.applied;
import static dev.minsky.doctor.fix.FixTesting.assertBackupValid;
import static dev.minsky.doctor.fix.FixTesting.assertKept;
import static dev.minsky.doctor.fix.FixTesting.causes;
import static dev.minsky.doctor.fix.FixTesting.json;
import static dev.minsky.doctor.fix.FixTesting.records;
import static dev.minsky.doctor.fix.FixTesting.storeFingerprint;
import static dev.minsky.doctor.fix.FixTesting.writeBackup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.config.Settings;
import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minsky doctor --fix --yes} on each fixable broken state, built for real: the cause is gone,
 * every recoverable session is still there with the same content, the backup is valid, a second
 * fix finds nothing to do, and {@code --undo} brings back the state before the fix.
 */
class FixEndToEndTest {
    @TempDir
    Path home;

    private JsonNode fixCheckSecondUndo(String cause, List<SessionRecord> mustKeep, int minSessions) {
        return FixTesting.cycle(home, cause, mustKeep, minSessions, true, true);
    }

    private JsonNode fixCheckSecondUndo(String cause, List<SessionRecord> mustKeep, int minSessions, boolean healthyAfter,
                                        boolean causeBack) {
        return FixTesting.cycle(home, cause, mustKeep, minSessions, healthyAfter, causeBack);
    }

    @Test
    void truncated_json_is_salvaged_keeping_every_complete_record() throws Exception {
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 5);
        List<SessionRecord> complete = JsonSalvage.read(Files.readAllBytes(b.store())).records();
        assertEquals(4, complete.size());
        fixCheckSecondUndo("json.truncated-write", complete, 4);
    }

    @Test
    void truncated_json_fix_keeps_the_corrupt_original_beside_the_salvaged_store() throws Exception {
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 5);
        byte[] damaged = Files.readAllBytes(b.store());
        JsonNode fix = json(new Cli(home).run("doctor", "--fix", "--yes", "--json"));
        assertFalse(applied(fix, "applied").isEmpty(), fix.toString());
        try (Stream<Path> s = Files.list(b.store().getParent())) {
            Path kept = s.filter(p -> p.getFileName().toString().startsWith("session-db.json.corrupt-")).findFirst().orElseThrow();
            assertTrue(Arrays.equals(damaged, Files.readAllBytes(kept)), "the damaged original is kept byte for byte");
        }
    }

    @Test
    void corrupt_json_uses_the_backup_when_it_holds_more_sessions_than_the_salvage() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 6);
        List<SessionRecord> all = records(home);
        writeBackup(b, all);
        byte[] data = Files.readAllBytes(b.store());
        int cut = new String(data, java.nio.charset.StandardCharsets.UTF_8).indexOf("\"session\"", 40);
        Files.write(b.store(), Arrays.copyOf(data, cut)); // only the first record survives a salvage
        JsonNode fix = fixCheckSecondUndo("json.truncated-write", all, 6);
        assertTrue(applied(fix, "applied").stream().anyMatch(a -> a.path("detail").asText().contains("from the backup")), fix.toString());
    }

    @Test
    void garbled_json_is_salvaged() throws Exception {
        BrokenStates.Built b = BrokenStates.garbledJson(home, 6);
        List<SessionRecord> complete = JsonSalvage.read(Files.readAllBytes(b.store())).records();
        assertFalse(complete.isEmpty());
        fixCheckSecondUndo("json.corrupt", complete, complete.size());
    }

    @Test
    void stale_wal_is_checkpointed_and_the_committed_rows_in_it_are_still_there() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 4);
        assertTrue(Files.size(b.store().resolveSibling("sessions.db-wal")) > 0, "the commits live in the -wal");
        // What SQLite itself reads from db + wal, read from a copy so that the original is untouched.
        Path copy = home.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("sessions.db", "sessions.db-wal")) {
            Files.copy(b.store().resolveSibling(f), copy.resolve(f));
        }
        Settings s = BrokenStates.settings(home);
        Settings atCopy = new Settings("sqlite", s.stateDir(), copy, copy.resolve("x.json"), copy.resolve("sessions.db"), null, 10, 30000,
                5000);
        List<SessionRecord> committed = StoreState.readAll(atCopy);
        assertEquals(7, committed.size());
        assertTrue(committed.stream().anyMatch(r -> r.session().startsWith("wal-")));
        JsonNode fix = fixCheckSecondUndo("sqlite.stale-wal", committed, 7);
        assertTrue(applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals("sqlite.checkpoint-wal")), fix.toString());
    }

    @Test
    void corrupt_sqlite_is_recovered_into_a_new_file_and_the_original_kept() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 400);
        List<SessionRecord> original = records(home);
        Map<String, SessionRecord> byName = new HashMap<>();
        original.forEach(r -> byName.put(r.session(), r));
        BrokenStates.garbagePageInTheMiddle(b.store());
        Cli cli = new Cli(home);
        Map<String, String> before = storeFingerprint(home);
        Cli.Result r = cli.run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(causes(fix).contains("sqlite.corrupt"), r.toString());
        assertFalse(causes(fix.path("after")).contains("sqlite.corrupt"), r.toString());
        List<SessionRecord> now = records(home);
        long identical = now.stream().filter(rec -> rec.equals(byName.get(rec.session()))).count();
        assertTrue(identical >= 300, "most rows are recovered exactly: " + identical);
        // the rows of the damaged page come back as records rebuilt from their workspaces
        assertEquals(400, now.size());
        for (SessionRecord rec : now) {
            assertEquals(byName.get(rec.session()).repoPath(), rec.repoPath());
        }
        try (Stream<Path> s = Files.list(b.store().getParent())) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("sessions.db.corrupt-")), "the original is kept");
        }
        assertBackupValid(fix);
        assertEquals(0, cli.run("doctor", "--undo").code());
        assertEquals(before, storeFingerprint(home));
    }

    @Test
    void corrupt_sqlite_with_nothing_readable_and_no_backup_is_left_exactly_as_it_was() throws Exception {
        BrokenStates.corruptPages(home);
        Map<String, String> before = storeFingerprint(home);
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(applied(fix, "applied").isEmpty(), r.toString());
        assertFalse(applied(fix, "failed").isEmpty(), "the recovery says it failed: " + r);
        assertEquals(1, r.code());
        assertEquals(before, storeFingerprint(home));
    }

    @Test
    void deleted_json_store_is_created_again_and_its_workspaces_become_records() throws Exception {
        BrokenStates.deletedStore(home, "json");
        fixCheckSecondUndo("json.file-missing", List.of(), 3);
    }

    @Test
    void deleted_sqlite_store_is_created_again() throws Exception {
        BrokenStates.deletedStore(home, "sqlite");
        fixCheckSecondUndo("sqlite.file-missing", List.of(), 3);
    }

    @Test
    void sqlite_without_table_gets_its_schema() throws Exception {
        BrokenStates.sqliteWithoutTable(home);
        fixCheckSecondUndo("sqlite.schema-missing", List.of(), 0);
    }

    @Test
    void misconfigured_base_dir_is_pointed_at_the_store_that_was_found() throws Exception {
        BrokenStates.Built b = BrokenStates.misconfiguredBaseDir(home, "json");
        Settings s = BrokenStates.settings(home);
        Settings real = new Settings("json", s.stateDir(), s.stateDir(), s.stateDir().resolve(Settings.JSON_FILE), s.sqlitePath(), null,
                10, 30000, 5000);
        List<SessionRecord> found = StoreState.readAll(real);
        assertEquals(b.sessions(), found.size());
        fixCheckSecondUndo("json.basedir-misconfigured", found, found.size());
    }

    @Test
    void orphaned_workspaces_become_records_and_existing_ones_are_untouched() throws Exception {
        BrokenStates.orphanedWorkspaces(home, "json", 2);
        List<SessionRecord> existing = records(home);
        // the state also has a record whose workspace is gone: that one is manual (or destructive), never applied
        JsonNode fix = fixCheckSecondUndo("sessions.orphaned-workspaces", existing, existing.size() + 2, false, true);
        assertTrue(causes(fix.path("after")).contains("sessions.missing-workspaces"), fix.toString());
        assertTrue(fix.toString().contains("orphan-0"), fix.toString());
    }

    @Test
    void old_store_without_a_recent_backup_gets_one() throws Exception {
        // 30 days old: old enough to need a backup, young enough not to be stale (perf.stale-sessions has its own test)
        BrokenStates.oldSessionsWithoutRecentBackup(home, "sqlite", 5, 30, 30);
        List<SessionRecord> existing = records(home);
        // --undo keeps the backup it took: a backup never hurts, and deleting one could lose the only copy
        JsonNode fix = fixCheckSecondUndo("backup.none-recent", existing, 5, true, false);
        String detail = applied(fix, "applied").get(0).path("detail").asText();
        assertTrue(detail.contains("5 sessions, verified"), detail);
        Path backup = Path.of(detail.substring("backup ".length(), detail.indexOf(" (")));
        assertEquals(new java.util.HashSet<>(existing), new java.util.HashSet<>(SessionJson.parseFile(backup)));
    }

    @Test
    void missing_postgres_database_is_created_when_the_role_may_and_undo_drops_it() throws Exception {
        PostgresServer.assumeInstalled();
        PostgresServer pg = PostgresServer.shared();
        BrokenStates.Built b = BrokenStates.pgMissingDatabase(home, pg);
        String user = java.net.URI.create(b.connectionString()).getUserInfo().split(":", 2)[0];
        String db = java.net.URI.create(b.connectionString()).getPath().substring(1);
        pg.sql("ALTER ROLE " + user + " CREATEDB");
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(causes(fix).contains("postgres.database-missing"), r.toString());
        assertFalse(causes(fix.path("after")).contains("postgres.database-missing"), r.toString());
        assertFalse(r.out().contains(java.net.URI.create(b.connectionString()).getUserInfo().split(":", 2)[1]), "no password in the output");
        assertTrue(exists(pg, db));
        assertTrue(json(cli.run("doctor", "--fix", "--yes", "--json")).path("applied").isEmpty());
        assertEquals(0, cli.run("doctor", "--undo").code());
        assertFalse(exists(pg, db), "--undo drops the database it created (it holds no session)");
    }

    @Test
    void missing_postgres_database_is_left_alone_when_the_role_may_not_create_one() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.pgMissingDatabase(home, PostgresServer.shared());
        String db = java.net.URI.create(b.connectionString()).getPath().substring(1);
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(applied(fix, "applied").stream().noneMatch(a -> a.path("remediation").asText().equals("postgres.create-database")), r.toString());
        assertTrue(r.out().contains("may not create databases"), r.toString());
        assertFalse(exists(PostgresServer.shared(), db));
    }

    @Test
    void missing_postgres_table_is_created_and_undo_removes_it_only_while_empty() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.pgMissingTable(home, PostgresServer.shared());
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("doctor", "--fix", "--json");
        JsonNode fix = json(r);
        assertTrue(causes(fix).contains("postgres.schema-missing"), r.toString());
        assertTrue(applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals("schema.init")), r.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(json(cli.run("doctor", "--fix", "--json")).path("applied").isEmpty());
        assertEquals(0, cli.run("doctor", "--undo").code());
        assertTrue(causes(json(cli.run("doctor", "--json"))).contains("postgres.schema-missing"), "--undo removed the empty table again");
        assertEquals(0, cli.run("doctor", "--fix").code());
        assertEquals(0, cli.run("session", "start", "after-the-fix", "--repo", "https://example.com/x.git").code());
        Cli.Result undo = cli.run("doctor", "--undo");
        assertEquals(2, undo.code(), "a table holding a session is never dropped by --undo: " + undo);
    }

    private static boolean exists(PostgresServer pg, String db) throws Exception {
        try (Connection c = pg.superConnection("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
            return rs.next();
        }
    }
}
