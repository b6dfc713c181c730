package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessiondb commands on the JSON backend: real files in a temporary home. */
class SessionDbCommandTest {
    static final String TWO = "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"https://x/r.git\",\"createdAt\":\"2026-01-01T00:00:00.000Z\","
            + "\"taskId\":\"md#1\",\"prState\":{\"branchName\":\"pr/a\",\"exists\":true,\"lastChecked\":\"2026-01-02T00:00:00Z\"},"
            + "\"futureField\":{\"nested\":[1,2,{\"k\":\"v\"}]}},"
            + "{\"session\":\"b\",\"repoName\":\"r\",\"repoUrl\":\"/src/r\",\"createdAt\":\"2026-01-03T00:00:00.000Z\",\"prApproved\":true}]";

    @TempDir
    Path home;

    Cli json() throws Exception {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("sessiondb", "init", "--backend", "json");
        assertEquals(0, r.code(), r.toString());
        return cli;
    }

    Path store(Cli cli) {
        return cli.stateDir().resolve("session-db.json");
    }

    static List<Path> backups(Cli cli) throws Exception {
        Path dir = cli.stateDir().resolve("backups");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void init_creates_the_store_and_makes_it_the_configured_backend() throws Exception {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("sessiondb", "init", "--backend", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("[ ]", Files.readString(store(cli)).trim());
        assertTrue(Files.readString(cli.home().resolve(".config/minsky/config.yaml")).contains("backend: json"));
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertTrue(cli.run("logs", "--component", "sessiondb").out().contains("init json store"));
    }

    @Test
    void init_refuses_a_store_with_data_and_force_backs_it_up_first() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        byte[] before = Files.readAllBytes(store(cli));
        Cli.Result refused = cli.run("sessiondb", "init", "--backend", "json");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("holds 2 sessions"), refused.err());
        assertTrue(refused.err().contains("--force"), refused.err());
        assertArrayEquals(before, Files.readAllBytes(store(cli)));
        assertTrue(backups(cli).isEmpty());

        Cli.Result forced = cli.run("sessiondb", "init", "--backend", "json", "--force");
        assertEquals(0, forced.code(), forced.toString());
        List<Path> b = backups(cli);
        assertEquals(1, b.size());
        assertTrue(forced.out().contains(b.get(0).toString()), forced.out());
        assertEquals(SessionJson.parse(before), SessionJson.parse(Files.readAllBytes(b.get(0))));
        assertEquals(SessionJson.parse(before), SessionJson.parse(Files.readAllBytes(store(cli))), "init never drops data");
    }

    @Test
    void export_then_import_into_a_reset_store_keeps_every_record_and_unknown_field() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        Cli.Result exp = cli.run("sessiondb", "export", "--all", "--format", "json");
        assertEquals(0, exp.code(), exp.toString());
        assertEquals(SessionJson.mapper().readTree(TWO), SessionJson.mapper().readTree(exp.out()));
        Path file = home.resolve("emergency-backup.json");
        Files.writeString(file, exp.out());

        Cli.Result reset = cli.run("sessiondb", "reset", "--backend", "json", "--force");
        assertEquals(0, reset.code(), reset.toString());
        assertEquals("[ ]", Files.readString(store(cli)).trim());
        assertEquals(1, backups(cli).size());
        assertTrue(reset.out().contains(backups(cli).get(0).toString()), reset.out());

        Cli.Result imp = cli.run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, imp.code(), imp.toString());
        assertTrue(imp.out().contains("2 added, 0 updated"), imp.out());
        assertEquals(SessionJson.mapper().readTree(TWO), SessionJson.mapper().readTree(Files.readAllBytes(store(cli))));

        Cli.Result again = cli.run("sessiondb", "import", "--file", file.toString(), "--json");
        assertEquals(0, again.code(), again.toString());
        JsonNode n = SessionJson.mapper().readTree(again.out());
        assertEquals(0, n.get("added").asInt());
        assertEquals(2, n.get("unchanged").asInt());
        assertEquals(2, n.get("backup").get("sessions").asInt(), "a store with data is backed up before an import");
    }

    @Test
    void export_to_a_file_writes_exactly_the_json_backends_file() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        cli.run("session", "start", "c", "--repo", "/tmp/c");
        Path out = home.resolve("out/export.json");
        Files.createDirectories(out.getParent());
        Cli.Result r = cli.run("sessiondb", "export", "--output", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Files.readAllBytes(store(cli)), Files.readAllBytes(out));
        assertEquals(2, cli.run("sessiondb", "export", "--format", "csv").code());
    }

    @Test
    void import_of_a_non_array_or_an_invalid_record_changes_nothing() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        byte[] before = Files.readAllBytes(store(cli));
        Path notArray = home.resolve("object.json");
        Files.writeString(notArray, "{\"session\":\"x\"}");
        Path invalid = home.resolve("invalid.json");
        Files.writeString(invalid, "[{\"session\":\"ok\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"},"
                + "{\"session\":\"bad\",\"repoName\":\"r\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]");
        Path truncated = home.resolve("truncated.json");
        Files.writeString(truncated, TWO.substring(0, 80));
        for (Path f : List.of(notArray, invalid, truncated, home.resolve("missing.json"))) {
            for (String mode : List.of("--file", "--replace")) {
                Cli.Result r = mode.equals("--file") ? cli.run("sessiondb", "import", "--file", f.toString())
                        : cli.run("sessiondb", "import", "--file", f.toString(), "--replace");
                assertEquals(2, r.code(), f + ": " + r);
                assertFalse(r.err().contains("at dev.minsky"), r.err());
                assertArrayEquals(before, Files.readAllBytes(store(cli)), f + " must not change the store");
            }
        }
        assertTrue(backups(cli).isEmpty(), "nothing to back up when nothing is written");
        Cli.Result r = cli.run("sessiondb", "import", "--file", invalid.toString());
        assertTrue(r.err().contains("'bad'") && r.err().contains("repoUrl"), r.err());
    }

    @Test
    void a_bad_import_file_leaves_an_sqlite_store_byte_identical() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "sqlite").code());
        Path good = home.resolve("good.json");
        Files.writeString(good, TWO);
        assertEquals(0, cli.run("sessiondb", "import", "--file", good.toString()).code());
        Path db = cli.stateDir().resolve("sessions.db");
        byte[] before = Files.readAllBytes(db);
        Path bad = home.resolve("bad.json");
        Files.writeString(bad, TWO.replace("\"prApproved\":true", "\"prApproved\":\"yes\""));
        Cli.Result r = cli.run("sessiondb", "import", "--file", bad.toString(), "--replace");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("prApproved"), r.err());
        assertArrayEquals(before, Files.readAllBytes(db));
        assertFalse(Files.exists(cli.stateDir().resolve("sessions.db-wal")) && Files.size(cli.stateDir().resolve("sessions.db-wal")) > 0);
        assertEquals(List.of(), backups(cli));
    }

    @Test
    void import_replace_and_the_legacy_sessions_object() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        Path legacy = home.resolve("legacy.json");
        Files.writeString(legacy, "{\"baseDir\":\"/x\",\"sessions\":[{\"session\":\"a\",\"repoName\":\"r2\",\"repoUrl\":\"u\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"session\":\"z\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-02-01T00:00:00Z\"}]}");
        Cli.Result r = cli.run("sessiondb", "import", "--file", legacy.toString(), "--replace");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("1 added, 1 updated, 0 unchanged, 1 removed"), r.out());
        JsonNode now = SessionJson.mapper().readTree(Files.readAllBytes(store(cli)));
        assertEquals(2, now.size());
        assertEquals(1, backups(cli).size());
        assertEquals(SessionJson.parse(TWO.getBytes()), SessionJson.parse(Files.readAllBytes(backups(cli).get(0))));
    }

    @Test
    void reset_without_force_says_what_it_would_delete_and_deletes_nothing() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        byte[] before = Files.readAllBytes(store(cli));
        Cli.Result r = cli.run("sessiondb", "reset", "--backend", "json");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(store(cli).toString()) && r.err().contains("2 sessions"), r.err());
        assertArrayEquals(before, Files.readAllBytes(store(cli)));
        assertTrue(backups(cli).isEmpty());
    }

    @Test
    void reset_refuses_to_delete_a_store_it_cannot_back_up() throws Exception {
        Cli cli = json();
        byte[] corrupt = TWO.substring(0, 120).getBytes();
        Files.write(store(cli), corrupt);
        Cli.Result r = cli.run("sessiondb", "reset", "--backend", "json", "--force");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("nothing was deleted"), r.err());
        assertArrayEquals(corrupt, Files.readAllBytes(store(cli)));
    }

    @Test
    void restore_puts_a_backup_back_after_backing_up_what_the_store_held() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        Path exported = home.resolve("two.json");
        assertEquals(0, cli.run("sessiondb", "export", "-o", exported.toString()).code());
        cli.run("session", "start", "later", "--repo", "/tmp/l");
        cli.run("session", "delete", "a");

        Cli.Result r = cli.run("sessiondb", "restore", "--backup", exported.toString(), "--to", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(SessionJson.parse(TWO.getBytes()), SessionJson.parse(Files.readAllBytes(store(cli))));
        List<Path> b = backups(cli);
        assertEquals(1, b.size());
        List<String> names = SessionJson.parse(Files.readAllBytes(b.get(0))).stream().map(x -> x.session()).toList();
        assertEquals(List.of("b", "later"), names.stream().sorted().toList());

        // the guide's backups/latest.json names the newest valid backup
        Cli.Result latest = cli.run("sessiondb", "restore", "--backup", cli.stateDir().resolve("backups/latest.json").toString(), "--to", "json");
        assertEquals(0, latest.code(), latest.toString());
        assertEquals(List.of("b", "later"), SessionJson.parse(Files.readAllBytes(store(cli))).stream().map(x -> x.session()).sorted().toList());

        Path bad = home.resolve("bad.json");
        Files.writeString(bad, "[1,2]");
        byte[] before = Files.readAllBytes(store(cli));
        assertEquals(2, cli.run("sessiondb", "restore", "--backup", bad.toString(), "--to", "json").code());
        assertArrayEquals(before, Files.readAllBytes(store(cli)));
    }

    @Test
    void restore_over_a_json_store_that_no_longer_parses_keeps_the_damaged_file() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        assertEquals(0, cli.run("sessiondb", "export", "-o", cli.stateDir().resolve("backups/good.json").toString()).code());
        byte[] corrupt = TWO.substring(0, TWO.length() - 30).getBytes();
        Files.write(store(cli), corrupt);
        assertEquals(3, cli.run("session", "list").code());

        Cli.Result r = cli.run("sessiondb", "restore", "--backup", cli.stateDir().resolve("backups/latest.json").toString(), "--to", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(SessionJson.parse(TWO.getBytes()), SessionJson.parse(Files.readAllBytes(store(cli))));
        assertTrue(r.out().contains("damaged original is kept at "), r.out());
        String kept = r.out().substring(r.out().indexOf("kept at ") + 8).strip();
        assertArrayEquals(corrupt, Files.readAllBytes(Path.of(kept)));
    }

    @Test
    void test_connection_reports_the_store_and_fails_with_3_when_it_cannot_be_reached() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        Cli.Result ok = cli.run("sessiondb", "test-connection");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("Sessions: 2") && ok.out().contains("Latency:"), ok.out());
        Cli.Result js = cli.run("sessiondb", "test-connection", "--json");
        assertEquals(2, SessionJson.mapper().readTree(js.out()).get("sessions").asInt());

        Files.delete(store(cli));
        Files.createDirectories(store(cli));
        Cli.Result down = cli.run("sessiondb", "test-connection");
        assertEquals(3, down.code(), down.toString());
        assertTrue(down.err().contains("cannot reach the json store"), down.err());
        Cli.Result hc = cli.run("sessiondb", "healthcheck");
        assertEquals(3, hc.code(), hc.toString());
        assertEquals("", hc.out());
        assertEquals(1, hc.err().strip().lines().count(), hc.err());
    }

    @Test
    void migrate_status_lists_every_backend_and_migrate_rejects_bad_targets() throws Exception {
        Cli cli = json();
        Files.writeString(store(cli), TWO);
        Cli.Result st = cli.run("sessiondb", "migrate", "status", "--json");
        assertEquals(0, st.code(), st.toString());
        JsonNode n = SessionJson.mapper().readTree(st.out());
        assertEquals("json", n.get("backend").asText());
        JsonNode jsonStore = null;
        for (JsonNode s : n.get("stores")) {
            if (s.get("backend").asText().equals("json")) {
                jsonStore = s;
            }
        }
        assertEquals(2, jsonStore.get("sessions").asInt());
        assertTrue(jsonStore.get("configured").asBoolean());
        assertFalse(n.get("migrationIncomplete").asBoolean());
        assertTrue(cli.run("sessiondb", "migrate", "status").out().contains("No migration has been run."));

        Cli.Result same = cli.run("sessiondb", "migrate", "to", "json");
        assertEquals(2, same.code(), same.toString());
        Cli.Result unknown = cli.run("sessiondb", "migrate", "to", "mongo");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("mongo"), unknown.err());
    }

    @Test
    void every_sessiondb_command_has_help() {
        Cli cli = new Cli(home);
        for (String[] c : List.of(new String[] {"init"}, new String[] {"migrate", "status"}, new String[] {"migrate", "to"},
                new String[] {"test-connection"}, new String[] {"verify"}, new String[] {"repair"}, new String[] {"restore"},
                new String[] {"export"}, new String[] {"import"}, new String[] {"reset"}, new String[] {"recover"},
                new String[] {"healthcheck"})) {
            String[] args = Stream.concat(Stream.concat(Stream.of("sessiondb"), Stream.of(c)), Stream.of("--help")).toArray(String[]::new);
            Cli.Result r = cli.run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.out().contains("Usage: minsky sessiondb " + String.join(" ", c)), r.out());
        }
    }
}
