package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sessiondb migrate} between real JSON files and real SQLite databases. */
class SessionDbMigrationTest {
    @TempDir
    Path home;

    /** n records shaped like Minsky's, with object fields, booleans and fields this tool does not know. */
    static String records(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"session\":\"s-").append(i).append("\",\"repoName\":\"minsky\",\"repoUrl\":\"https://github.com/edobry/minsky.git\"")
                    .append(",\"createdAt\":\"2026-0").append(1 + i % 9).append("-1").append(i % 10).append("T10:00:0").append(i % 10).append(".000Z\"")
                    .append(",\"taskId\":\"md#").append(i % 7).append("\",\"branch\":\"s-").append(i).append("\"");
            if (i % 2 == 0) {
                sb.append(",\"prApproved\":").append(i % 4 == 0).append(",\"prBranch\":\"pr/s-").append(i).append("\"")
                        .append(",\"prState\":{\"branchName\":\"pr/s-").append(i).append("\",\"exists\":true,\"lastChecked\":\"2026-02-01T00:00:00.000Z\"}");
            }
            if (i % 3 == 0) {
                sb.append(",\"pullRequest\":{\"number\":").append(i).append(",\"url\":\"https://github.com/edobry/minsky/pull/").append(i)
                        .append("\",\"labels\":[\"a\",\"b\"]},\"unknownTop\":{\"deep\":[1,2.5,null,{\"x\":\"y\"}]},\"flag\":false");
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    Cli withJsonStore(int n) throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Files.writeString(cli.stateDir().resolve("session-db.json"), records(n));
        return cli;
    }

    static List<SessionRecord> export(Cli cli) throws Exception {
        Cli.Result r = cli.run("sessiondb", "export", "--all", "--format", "json");
        assertEquals(0, r.code(), r.toString());
        return SessionJson.parse(r.out().getBytes());
    }

    static void assertSameRecords(List<SessionRecord> expected, List<SessionRecord> actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(new HashSet<>(expected), new HashSet<>(actual));
    }

    @Test
    void json_to_sqlite_and_back_keeps_every_record_and_unknown_field() throws Exception {
        Cli cli = withJsonStore(40);
        Path json = cli.stateDir().resolve("session-db.json");
        List<SessionRecord> original = SessionJson.parse(Files.readAllBytes(json));
        byte[] jsonBytes = Files.readAllBytes(json);

        Cli.Result toSqlite = cli.run("sessiondb", "migrate", "to", "sqlite", "--verify");
        assertEquals(0, toSqlite.code(), toSqlite.toString());
        assertTrue(toSqlite.out().contains("40 of 40 sessions identical"), toSqlite.out());
        assertEquals("sqlite", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertArrayEquals(jsonBytes, Files.readAllBytes(json), "the source is left untouched");
        assertTrue(Files.isRegularFile(cli.stateDir().resolve("sessions.db")));
        assertSameRecords(original, export(cli));

        // the backup taken first holds the source
        Path backup = Path.of(SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out())
                .get("migration").get("backup").asText());
        assertSameRecords(original, SessionJson.parse(Files.readAllBytes(backup)));

        // change the SQLite side, then go back: JSON gets the new state, unknown fields intact
        assertEquals(0, cli.run("session", "delete", "s-3").code());
        assertEquals(0, cli.run("session", "start", "added-in-sqlite", "--repo", "/tmp/r").code());
        List<SessionRecord> inSqlite = export(cli);
        Cli.Result back = cli.run("sessiondb", "migrate", "to", "json", "--json");
        assertEquals(0, back.code(), back.toString());
        JsonNode res = SessionJson.mapper().readTree(back.out());
        assertEquals(40, res.get("sessions").asInt());
        assertEquals(1, res.get("verify").get("targetOnly").size(), "s-3 is still in the old JSON store and is kept");
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        List<SessionRecord> inJson = SessionJson.parse(Files.readAllBytes(json));
        assertTrue(new HashSet<>(inJson).containsAll(inSqlite));
        assertEquals(41, inJson.size());
        JsonNode s0 = SessionJson.mapper().readTree(cli.run("session", "get", "s-0", "--json").out());
        assertEquals(2.5, s0.get("unknownTop").get("deep").get(1).asDouble());
        assertEquals("b", s0.get("pullRequest").get("labels").get(1).asText());
        assertTrue(cli.run("logs", "--component", "sessiondb").out().contains("migrated 40 sessions from json to sqlite"));
    }

    @Test
    void a_target_record_that_the_copy_replaces_is_backed_up_first() throws Exception {
        Cli cli = withJsonStore(3);
        Path other = home.resolve("other.json");
        Files.writeString(other, "[{\"session\":\"s-0\",\"repoName\":\"older\",\"repoUrl\":\"u\",\"createdAt\":\"2025-01-01T00:00:00.000Z\"},"
                + "{\"session\":\"only-in-sqlite\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2025-01-01T00:00:00.000Z\"}]");
        assertEquals(0, cli.run("--backend", "sqlite", "sessiondb", "import", "--file", other.toString()).code());

        Cli.Result dry = cli.run("sessiondb", "migrate", "to", "sqlite", "--dry-run", "--json");
        JsonNode plan = SessionJson.mapper().readTree(dry.out());
        assertEquals(1, plan.get("overwrite").asInt());
        assertEquals(1, plan.get("targetOnly").asInt());

        Cli.Result r = cli.run("sessiondb", "migrate", "to", "sqlite", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode res = SessionJson.mapper().readTree(r.out());
        Path targetBackup = Path.of(res.get("targetBackup").get("file").asText());
        assertEquals(new HashSet<>(SessionJson.parse(Files.readAllBytes(other))), new HashSet<>(SessionJson.parse(Files.readAllBytes(targetBackup))));
        assertEquals("minsky", SessionJson.mapper().readTree(cli.run("session", "get", "s-0", "--json").out()).get("repoName").asText());
        assertEquals(4, export(cli).size());

        // nothing in the target differs any more: going back and forth needs no target backup
        Cli.Result back = cli.run("sessiondb", "migrate", "to", "json", "--json");
        assertTrue(SessionJson.mapper().readTree(back.out()).get("targetBackup").isNull(), back.out());
    }

    @Test
    void a_dry_run_reports_and_changes_nothing() throws Exception {
        Cli cli = withJsonStore(5);
        Cli.Result r = cli.run("sessiondb", "migrate", "to", "sqlite", "--verify", "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("would copy 5 sessions"), r.out());
        assertFalse(Files.exists(cli.stateDir().resolve("sessions.db")));
        assertFalse(Files.exists(cli.stateDir().resolve("backups")));
        assertFalse(Files.exists(cli.stateDir().resolve(MigrationJournal.FILE)));
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
    }

    @Test
    void a_failing_target_leaves_the_old_store_in_use_and_untouched() throws Exception {
        Cli cli = withJsonStore(6);
        Path json = cli.stateDir().resolve("session-db.json");
        byte[] before = Files.readAllBytes(json);
        Path notADir = home.resolve("a-file");
        Files.writeString(notADir, "x");
        assertEquals(0, cli.run("config", "set", "sessiondb.dbPath", notADir.resolve("sessions.db").toString()).code());

        Cli.Result r = cli.run("sessiondb", "migrate", "to", "sqlite", "--verify");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("migration from json to sqlite failed"), r.err());
        assertTrue(r.err().contains("is still in use and was not changed"), r.err());
        assertFalse(r.err().contains("at dev.minsky"), r.err());
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertArrayEquals(before, Files.readAllBytes(json));

        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertEquals(MigrationJournal.FAILED, st.get("migration").get("state").asText());
        assertFalse(st.get("migrationIncomplete").asBoolean(), "a failure that rolled back is finished");
    }

    @Test
    void a_foreign_file_at_the_sqlite_path_makes_the_migration_fail_and_stay_on_json() throws Exception {
        Cli cli = withJsonStore(3);
        Files.writeString(cli.stateDir().resolve("sessions.db"), "not a database at all, but someone's notes\n");
        Cli.Result r = cli.run("sessiondb", "migrate", "to", "sqlite");
        assertEquals(3, r.code(), "a target that is not SQLite cannot be read (exit 3), found before anything started: " + r);
        assertTrue(r.err().contains("is still in use and was not changed"), r.err());
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertEquals("not a database at all, but someone's notes\n", Files.readString(cli.stateDir().resolve("sessions.db")));
    }

    @Test
    void postgres_without_a_connection_string_is_bad_input_and_status_says_it_cannot_tell() throws Exception {
        Cli cli = withJsonStore(2).env("MINSKY_POSTGRES_URL", null).env("MINSKY_SESSIONDB_POSTGRES_URL", null);
        Cli.Result r = cli.run("sessiondb", "migrate", "to", "postgres");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("connection string"), r.err());
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        for (JsonNode s : st.get("stores")) {
            if (s.get("backend").asText().equals("postgres")) {
                assertTrue(s.get("exists").isNull(), s.toString());
                assertTrue(s.get("error").asText().contains("connection string"), s.toString());
            }
        }
    }

    @Test
    void status_shows_each_store_and_a_migration_stopped_half_way() throws Exception {
        Cli cli = withJsonStore(4);
        assertEquals(0, cli.run("sessiondb", "migrate", "to", "sqlite").code());
        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertEquals("sqlite", st.get("backend").asText());
        for (JsonNode s : st.get("stores")) {
            if (!s.get("backend").asText().equals("postgres")) {
                assertTrue(s.get("exists").asBoolean(), s.toString());
                assertEquals(4, s.get("sessions").asInt(), s.toString());
                assertEquals(s.get("currentSchemaVersion").asInt(), s.get("schemaVersion").asInt(), s.toString());
            }
        }
        assertEquals(MigrationJournal.SWITCHED, st.get("migration").get("state").asText());
        assertFalse(st.get("migrationIncomplete").asBoolean());

        // what a migration killed after copying leaves behind
        Path journal = cli.stateDir().resolve(MigrationJournal.FILE);
        Files.writeString(journal, Files.readString(journal).replace("\"switched\"", "\"copied\""));
        st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertTrue(st.get("migrationIncomplete").asBoolean());
        Cli.Result human = cli.run("sessiondb", "migrate", "status");
        assertTrue(human.out().contains("UNFINISHED migration json -> sqlite"), human.out());
        assertNull(new MigrationJournal(cli.stateDir()).read().orElseThrow().error());
    }
}
