package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.applied;
import static dev.minsky.doctor.fix.FixTesting.cycle;
import static dev.minsky.doctor.fix.FixTesting.records;
import static dev.minsky.doctor.fix.FixTesting.writeBackup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rest of the fixable states, each through the same cycle: fixed, nothing lost, backup valid, second fix idle, undo. */
class FixMoreStatesTest {
    @TempDir
    Path home;

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static boolean appliedAction(JsonNode fix, String id) {
        return applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals(id));
    }

    @Test
    void a_database_not_in_wal_mode_is_switched_to_wal() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 3);
        sql(b.store(), "PRAGMA journal_mode=DELETE");
        List<SessionRecord> all = records(home);
        JsonNode fix = cycle(home, "perf.wal-disabled", all, 3, true, true);
        assertTrue(appliedAction(fix, "sqlite.enable-wal"), fix.toString());
    }

    private static String one(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void undo_takes_back_the_newest_fix_first_then_the_one_before() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 3);
        dev.minsky.testutil.Cli cli = new dev.minsky.testutil.Cli(home);
        sql(b.store(), "PRAGMA journal_mode=DELETE");
        assertEquals(0, cli.run("doctor", "--fix").code());
        assertEquals("wal", one(b.store(), "PRAGMA journal_mode"));
        sql(b.store(), "DROP INDEX idx_sessions_taskId");
        assertEquals(0, cli.run("doctor", "--fix").code());
        assertEquals("1", one(b.store(), "SELECT count(*) FROM sqlite_master WHERE name = 'idx_sessions_taskId'"));

        assertEquals(0, cli.run("doctor", "--undo").code());
        assertEquals("0", one(b.store(), "SELECT count(*) FROM sqlite_master WHERE name = 'idx_sessions_taskId'"), "the index fix is undone");
        assertEquals("wal", one(b.store(), "PRAGMA journal_mode"), "the older fix is still in place");
        assertEquals(0, cli.run("doctor", "--undo").code());
        assertEquals("delete", one(b.store(), "PRAGMA journal_mode"), "then the older one is undone");
        assertEquals(2, cli.run("doctor", "--undo").code(), "nothing left to undo");
        assertEquals(3, records(home).size());
    }

    @Test
    void missing_indexes_are_created() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 3);
        sql(b.store(), "DROP INDEX idx_sessions_taskId", "DROP INDEX idx_sessions_createdAt");
        List<SessionRecord> all = records(home);
        JsonNode fix = cycle(home, "perf.missing-index", all, 3, true, true);
        assertTrue(appliedAction(fix, "index.create"), fix.toString());
    }

    @Test
    void a_missing_store_directory_is_created() throws Exception {
        Path db = home.resolve("nowhere/deeper/sessions.db");
        BrokenStates.config(home, Map.of("backend", "sqlite", "dbPath", db.toString()));
        JsonNode fix = cycle(home, "sqlite.cannot-open", List.of(), 0, false, true);
        assertTrue(appliedAction(fix, "fs.create-directory"), fix.toString());
        assertTrue(!Files.exists(home.resolve("nowhere")), "--undo removed the directories it had created");
    }

    @Test
    void a_deleted_json_store_is_restored_from_the_newest_backup_before_anything_else() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 4);
        List<SessionRecord> all = records(home);
        writeBackup(b, all);
        Files.delete(b.store());
        JsonNode fix = cycle(home, "json.file-missing", all, 4, true, true);
        assertTrue(appliedAction(fix, "backup.restore-newest"), fix.toString());
    }

    @Test
    void sessions_older_than_90_days_are_cleaned_after_a_backup_and_undo_brings_them_back() throws Exception {
        BrokenStates.oldSessionsWithoutRecentBackup(home, "sqlite", 120, 1);
        List<SessionRecord> all = records(home);
        JsonNode fix = cycle(home, "perf.stale-sessions", List.of(), 0, true, true);
        assertTrue(appliedAction(fix, "sessions.clean-old"), fix.toString());
        JsonNode clean = applied(fix, "applied").stream().filter(a -> a.path("remediation").asText().equals("sessions.clean-old"))
                .findFirst().orElseThrow();
        List<SessionRecord> backedUp = SessionJson.parseFile(Path.of(clean.path("backup").asText()));
        assertEquals(new java.util.HashSet<>(all), new java.util.HashSet<>(backedUp), "the backup taken first holds every session");
        assertEquals(new java.util.HashSet<>(all), new java.util.HashSet<>(records(home)), "undo brought every session back");
        // the workspaces went aside with their records (no orphans for a rebuild to resurrect), and came back on undo
        assertTrue(clean.path("detail").asText().contains("120 workspaces were moved to"), clean.toString());
        for (SessionRecord r : all) {
            assertTrue(Files.isDirectory(Path.of(r.repoPath())), "workspace back after undo: " + r.repoPath());
        }
        assertFalse(appliedAction(fix, "sessions.rebuild-from-workspaces"), fix.toString());
    }

    @Test
    void a_json_store_at_the_sqlite_path_is_imported_into_a_new_database() throws Exception {
        BrokenStates.jsonAtSqlitePath(home, 4);
        Path db = BrokenStates.settings(home).sqlitePath();
        List<SessionRecord> all = SessionJson.parse(Files.readAllBytes(db));
        JsonNode fix = cycle(home, "sqlite.not-a-database", all, 4, true, true);
        assertTrue(appliedAction(fix, "sqlite.migrate-json-at-path"), fix.toString());
    }

    @Test
    void a_fuller_store_of_another_backend_is_merged_into_the_configured_one() throws Exception {
        BrokenStates.healthySqlite(home, 2);
        List<SessionRecord> mine = records(home);
        Settings s = BrokenStates.settings(home);
        List<SessionRecord> theirs = BrokenStates.sessions(home, 5, 3);
        try (SessionStore json = Stores.open(s.withBackend("json"), true)) {
            json.upsertAll(theirs);
        }
        List<SessionRecord> both = new java.util.ArrayList<>(mine);
        both.addAll(theirs);
        // The playbook reads stores.other.moreThanConfigured, which no probe makes yet: the finding is
        // added here from a real comparison of the two stores, on top of the real diagnosis.
        dev.minsky.AppContext ctx = new dev.minsky.AppContext(Map.of("HOME", home.toString()), home, System.out, System.err,
                System.in, false, java.time.Clock.systemUTC());
        dev.minsky.config.ConfigService config = dev.minsky.config.ConfigService.load(ctx);
        dev.minsky.doctor.DoctorEnv env = new dev.minsky.doctor.DoctorEnv(ctx, config, config.settingsLenient(),
                dev.minsky.log.MinskyLog.forContext(ctx));
        dev.minsky.doctor.run.Doctor doctor = dev.minsky.doctor.run.Doctor.open(env, dev.minsky.doctor.DoctorOptions.DEFAULT);
        java.util.function.Supplier<dev.minsky.doctor.model.DoctorReport> diagnose = () -> {
            dev.minsky.doctor.model.DoctorReport r = doctor.diagnose(Fixer.reloaded(env));
            long configured = StoreState.count(BrokenStates.settings(home));
            long other = StoreState.count(s.withBackend("json"));
            List<dev.minsky.doctor.model.Finding> findings = new java.util.ArrayList<>(r.findings());
            if (configured < other) {
                findings.add(0, new dev.minsky.doctor.model.Finding("store.split-brain", null, dev.minsky.doctor.model.Severity.ERROR,
                        0.8, "another store holds more sessions", "store", List.of(), List.of(new dev.minsky.doctor.model.Remediation(
                        "store.migrate-merge", dev.minsky.doctor.model.Safety.REVERSIBLE, "merge", null, null))));
            }
            return new dev.minsky.doctor.model.DoctorReport(1, r.backend(), r.store(), false, findings, r.probes(), r.facts(), null, null);
        };
        Map<String, String> before = FixTesting.storeFingerprint(home);
        dev.minsky.doctor.model.DoctorReport fix = Fixer.fix(env, diagnose.get(), new Fixer.Options(false, true, true), diagnose);
        assertTrue(fix.applied().stream().anyMatch(a -> a.remediation().equals("store.migrate-merge") && a.result().equals("applied")),
                fix.applied().toString());
        assertTrue(fix.after().findings().stream().noneMatch(f -> f.cause().equals("store.split-brain")));
        FixTesting.assertKept(home, both);
        assertEquals(7, records(home).size());
        assertEquals(5, StoreState.count(s.withBackend("json")), "the other store is left as it was");
        Fixer.undo(env, null);
        assertEquals(before, FixTesting.storeFingerprint(home));
    }
}
