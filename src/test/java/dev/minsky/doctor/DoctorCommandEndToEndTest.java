package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each broken state built for real (testutil/BrokenStates), then {@code minsky doctor --json}
 * through the CLI: the top-ranked cause, the exit code, and no false alarm on healthy stores.
 */
class DoctorCommandEndToEndTest {
    @TempDir
    Path home;

    record Run(int code, JsonNode doc, String raw) {
        List<String> causes() {
            List<String> out = new ArrayList<>();
            doc.get("findings").forEach(f -> out.add(f.get("cause").asText()));
            return out;
        }

        String top() {
            return causes().isEmpty() ? null : causes().get(0);
        }
    }

    Run doctor(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("doctor", "--json"));
        args.addAll(List.of(extra));
        Cli.Result r = new Cli(home).run(args.toArray(String[]::new));
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        return new Run(r.code(), doc, r.toString());
    }

    void expectTop(String cause) throws Exception {
        Run r = doctor();
        assertEquals(cause, r.top(), r.raw());
        assertEquals(1, r.code(), r.raw());
        assertFalse(r.doc().get("healthy").asBoolean());
    }

    void expectHealthy() throws Exception {
        Run r = doctor();
        assertTrue(r.doc().get("healthy").asBoolean(), r.raw());
        assertEquals(0, r.code(), r.raw());
    }

    @Test
    void healthy_json_store_is_healthy() throws Exception {
        BrokenStates.healthyJson(home, 3);
        expectHealthy();
    }

    @Test
    void healthy_sqlite_store_is_healthy() throws Exception {
        BrokenStates.healthySqlite(home, 3);
        expectHealthy();
    }

    @Test
    void a_new_install_that_never_ran_is_healthy_with_a_note_and_the_human_view_says_so() throws Exception {
        // no config, no state directory: what every user sees before their first session
        Run r = doctor();
        assertEquals(List.of("store.not-created-yet"), r.causes(), r.raw());
        assertEquals("info", r.doc().get("findings").get(0).get("severity").asText());
        assertTrue(r.doc().get("healthy").asBoolean(), r.raw());
        assertEquals(0, r.code(), r.raw());
        assertFalse(java.nio.file.Files.exists(home.resolve(".local/state/minsky")), "diagnosing created nothing");
        Cli.Result human = new Cli(home).run("doctor");
        assertTrue(human.out().contains("No session store yet"), human.out());
        assertFalse(human.out().contains("[✗]"), human.out());
        assertTrue(human.out().contains("not checked: there is no store yet"), human.out());
    }

    @Test
    void a_new_install_with_the_json_backend_chosen_is_healthy_too() throws Exception {
        new Cli(home).run("config", "set", "sessiondb.backend", "json");
        Run r = doctor();
        assertEquals(List.of("store.not-created-yet"), r.causes(), r.raw());
        assertEquals(0, r.code(), r.raw());
    }

    @Test
    void a_configured_path_whose_directory_is_missing_is_still_cannot_open() throws Exception {
        // the same missing directory is a fault once the user configured where the store lives
        new Cli(home).run("config", "set", "sessiondb.dbPath", home.resolve("gone/sessions.db").toString());
        expectTop("sqlite.cannot-open");
    }

    @Test
    void deleted_json_store_is_file_missing() throws Exception {
        BrokenStates.deletedStore(home, "json");
        expectTop("json.file-missing");
    }

    @Test
    void enoent_from_a_misconfigured_base_dir_is_told_apart_from_a_missing_file() throws Exception {
        BrokenStates.misconfiguredBaseDir(home, "json");
        Run r = doctor();
        assertEquals("json.basedir-misconfigured", r.top(), r.raw());
        assertFalse(r.causes().contains("json.file-missing"), r.raw());
    }

    @Test
    void doubled_minsky_path_is_base_dir_misconfigured() throws Exception {
        BrokenStates.doubledPath(home, "json");
        expectTop("json.basedir-misconfigured");
    }

    @Test
    void truncated_json_is_a_truncated_write() throws Exception {
        BrokenStates.truncatedJson(home, 4);
        expectTop("json.truncated-write");
        // the backup before the salvage cannot be an export of a file that does not parse: it copies the file
        JsonNode backup = null;
        for (JsonNode rem : doctor().doc().get("findings").get(0).get("remediations")) {
            if (rem.get("id").asText().equals("backup.create")) {
                backup = rem;
            }
        }
        assertTrue(backup != null && backup.get("command").asText().contains("cp -p ")
                && !backup.get("command").asText().contains("sessiondb export"), String.valueOf(backup));
    }

    @Test
    void garbled_json_is_corrupt() throws Exception {
        BrokenStates.garbledJson(home, 4);
        expectTop("json.corrupt");
    }

    @Test
    void sqlite_busy_from_a_live_holder_is_locked_by_process_not_stale_wal() throws Exception {
        try (BrokenStates.Built b = BrokenStates.liveWriteLock(home)) {
            Run r = doctor();
            assertEquals("sqlite.locked-by-process", r.top(), r.raw());
            assertFalse(r.causes().contains("sqlite.stale-wal"), r.raw());
            JsonNode rem = r.doc().get("findings").get(0).get("remediations").get(0);
            assertEquals("manual", rem.get("safety").asText());
            assertTrue(rem.get("summary").asText().contains("pid " + b.holderPid()), rem.toString());
        }
    }

    @Test
    void sqlite_busy_from_a_killed_writer_is_stale_wal_and_rm_is_flagged_destructive() throws Exception {
        BrokenStates.staleWal(home, 5);
        Run r = doctor();
        assertEquals("sqlite.stale-wal", r.top(), r.raw());
        assertFalse(r.causes().contains("sqlite.locked-by-process"), r.raw());
        JsonNode rems = r.doc().get("findings").get(0).get("remediations");
        assertEquals("sqlite.checkpoint-wal", rems.get(0).get("id").asText());
        boolean warned = false;
        for (JsonNode x : rems) {
            if (x.get("id").asText().equals("sqlite.delete-wal")) {
                assertEquals("destructive", x.get("safety").asText());
                warned = x.get("warning").asText().contains("drops committed transactions");
            }
        }
        assertTrue(warned, rems.toString());
    }

    @Test
    void overwritten_pages_are_corrupt() throws Exception {
        BrokenStates.corruptPages(home);
        expectTop("sqlite.corrupt");
    }

    @Test
    void a_text_file_at_the_sqlite_path_is_not_a_database() throws Exception {
        BrokenStates.notADatabase(home);
        expectTop("sqlite.not-a-database");
    }

    @Test
    void a_json_store_at_the_sqlite_path_offers_migration() throws Exception {
        BrokenStates.jsonAtSqlitePath(home, 3);
        Run r = doctor();
        assertEquals("sqlite.not-a-database", r.top(), r.raw());
        assertEquals("sqlite.migrate-json-at-path", r.doc().get("findings").get(0).get("remediations").get(1).get("id").asText(),
                "after the backup it needs: " + r.raw());
    }

    @Test
    void a_directory_at_the_sqlite_path_cannot_be_opened() throws Exception {
        BrokenStates.directoryAtStorePath(home, "sqlite");
        expectTop("sqlite.cannot-open");
    }

    @Test
    void a_database_without_the_table_is_schema_missing() throws Exception {
        BrokenStates.sqliteWithoutTable(home);
        expectTop("sqlite.schema-missing");
    }

    @Test
    void sqlite_readonly_from_a_read_only_mount_is_not_blamed_on_permissions() throws Exception {
        try (BrokenStates.Built b = BrokenStates.readOnlyMount(home, "sqlite")) {
            Run r = doctor();
            assertEquals("sqlite.readonly-filesystem", r.top(), r.raw());
            assertFalse(r.causes().contains("sqlite.readonly-permissions"), r.raw());
        }
    }

    @Test
    void a_full_tmpfs_is_disk_full() throws Exception {
        try (BrokenStates.Built b = BrokenStates.fullDisk(home, "sqlite")) {
            expectTop("sqlite.disk-full");
        }
    }

    @Test
    void orphaned_and_missing_workspaces_are_both_warnings() throws Exception {
        // two workspaces without records, one record without its workspace
        BrokenStates.orphanedWorkspaces(home, "sqlite", 2);
        Run r = doctor();
        assertEquals(1, r.code(), r.raw());
        assertTrue(r.causes().containsAll(List.of("sessions.orphaned-workspaces", "sessions.missing-workspaces")), r.raw());
        assertEquals(2, r.causes().size(), r.raw());
    }

    @Test
    void old_sessions_without_a_recent_backup() throws Exception {
        // three sessions, all 120 days old, the newest backup 30 days old
        BrokenStates.oldSessionsWithoutRecentBackup(home, "sqlite", 3, 30);
        Run r = doctor();
        assertEquals(1, r.code(), r.raw());
        assertTrue(r.causes().containsAll(List.of("backup.none-recent", "perf.stale-sessions")), r.raw());
    }

    @Test
    void old_sessions_with_a_fresh_backup_only_need_cleaning() throws Exception {
        BrokenStates.oldSessionsWithoutRecentBackup(home, "sqlite", 3, 1);
        Run r = doctor();
        assertEquals(List.of("perf.stale-sessions"), r.causes(), r.raw());
    }

    @Test
    void postgres_with_nothing_listening_is_server_down_and_exit_1() throws Exception {
        BrokenStates.pgNothingListening(home);
        expectTop("postgres.server-down");
        // the areas that need the store's records were not checked: no ✓ may claim they were
        Cli.Result human = new Cli(home).run("doctor");
        assertTrue(human.out().contains("[-] Sessions and workspaces — not checked: the store cannot be read until the problem below"),
                human.out());
        assertFalse(human.out().contains("[✓] Sessions and workspaces"), human.out());
    }

    @Test
    void postgres_wrong_password_is_auth_failed_and_the_password_never_shows() throws Exception {
        PostgresServer.assumeInstalled();
        PostgresServer pg = PostgresServer.shared();
        BrokenStates.pgWrongPassword(home, pg);
        Run r = doctor();
        assertEquals("postgres.auth-failed", r.top(), r.raw());
        assertTrue(r.doc().get("findings").get(0).get("title").asText().contains("role does not exist"));
        assertFalse(r.raw().contains("wrong-password-123"), r.raw());
        Cli.Result human = new Cli(home).run("doctor", "--verbose");
        assertFalse(human.out().contains("wrong-password-123") || human.err().contains("wrong-password-123"), human.toString());
    }

    @Test
    void postgres_missing_database() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.pgMissingDatabase(home, PostgresServer.shared());
        expectTop("postgres.database-missing");
    }

    @Test
    void postgres_missing_table() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.pgMissingTable(home, PostgresServer.shared());
        expectTop("postgres.schema-missing");
    }

    @Test
    void postgres_missing_role_under_password_auth_reads_as_auth_failed_that_names_the_role() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.pgMissingRole(home, PostgresServer.shared());
        expectTop("postgres.auth-failed");
    }

    @Test
    void postgres_healthy_store_is_healthy() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.healthyPostgres(home, PostgresServer.shared(), 2);
        expectHealthy();
    }

    @Test
    void postgres_max_connections_exhausted() throws Exception {
        PostgresServer.assumeInstalled();
        try (BrokenStates.Built b = BrokenStates.pgTooManyConnections(home)) {
            expectTop("postgres.too-many-connections");
        }
    }
}
