package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionCommandTest {
    @TempDir
    Path home;

    @Test
    void start_list_end_delete_round_trip_on_the_json_backend() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Cli.Result r = cli.run("session", "start", "task-1", "--task", "md#1", "--repo", "https://github.com/edobry/minsky.git");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isDirectory(cli.stateDir().resolve("sessions/task-1")));
        assertTrue(Files.isRegularFile(cli.stateDir().resolve("session-db.json")));

        r = cli.run("session", "list", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode arr = SessionJson.mapper().readTree(r.out());
        assertEquals(1, arr.size());
        assertEquals("minsky", arr.get(0).get("repoName").asText());
        assertEquals("md#1", arr.get(0).get("taskId").asText());
        assertEquals("github", arr.get(0).get("backendType").asText());

        assertEquals(0, cli.run("session", "end", "task-1").code());
        assertTrue(SessionJson.mapper().readTree(cli.run("session", "get", "task-1", "--json").out()).has("endedAt"));
        assertEquals(0, cli.run("session", "delete", "task-1").code());
        assertEquals("[ ]", cli.run("session", "list", "--json").out().trim());
    }

    @Test
    void delete_moves_the_workspace_aside_so_that_the_doctor_sees_no_orphan() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "keep", "--repo", "/tmp/x").code());
        assertEquals(0, cli.run("session", "start", "gone", "--repo", "/tmp/x").code());
        Path ws = cli.stateDir().resolve("sessions/gone");
        Files.writeString(ws.resolve("work.txt"), "uncommitted work");
        Cli.Result r = cli.run("session", "delete", "gone");
        assertEquals(0, r.code(), r.toString());
        assertFalse(Files.exists(ws), "the workspace left <state>/sessions");
        Path kept;
        try (var s = Files.walk(cli.stateDir().resolve("removed-workspaces"))) {
            kept = s.filter(p -> p.getFileName().toString().equals("work.txt")).findFirst().orElseThrow();
        }
        assertEquals("uncommitted work", Files.readString(kept), "nothing in the workspace is lost");
        assertTrue(r.out().contains(kept.getParent().getParent().toString()), "the user is told where it went: " + r.out());
        Cli.Result doctor = cli.run("doctor", "--json");
        assertFalse(doctor.out().contains("sessions.orphaned-workspaces"), doctor.out());
        assertTrue(Files.isDirectory(cli.stateDir().resolve("sessions/keep")), "other workspaces stay");
    }

    @Test
    void duplicate_names_and_bad_names_are_bad_input() {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "a", "--repo", "/tmp/x").code());
        Cli.Result dup = cli.run("session", "start", "a", "--repo", "/tmp/x");
        assertEquals(2, dup.code());
        assertTrue(dup.err().contains("already exists"), dup.err());
        Cli.Result bad = cli.run("session", "start", "../evil");
        assertEquals(2, bad.code());
        assertFalse(bad.err().contains("Exception"), bad.err());
    }

    @Test
    void a_corrupt_json_store_is_reported_and_never_rewritten() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Path store = cli.stateDir().resolve("session-db.json");
        Files.createDirectories(store.getParent());
        byte[] corrupt = "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"sess".getBytes();
        Files.write(store, corrupt);
        Cli.Result list = cli.run("session", "list");
        assertEquals(3, list.code(), "a store that cannot be read is exit 3 (product.md): " + list);
        assertTrue(list.err().contains("does not parse"), list.err());
        assertFalse(list.err().contains("at dev.minsky"), list.err());
        Cli.Result start = cli.run("session", "start", "b", "--repo", "/tmp/x");
        assertEquals(3, start.code(), start.toString());
        assertTrue(java.util.Arrays.equals(corrupt, Files.readAllBytes(store)), "the corrupt store must not be touched");
    }

    @Test
    void clean_takes_a_backup_before_removing_old_sessions() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Path store = cli.stateDir().resolve("session-db.json");
        Files.createDirectories(store.getParent());
        Files.writeString(store, "[{\"session\":\"old\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2020-01-01T00:00:00Z\",\"custom\":{\"x\":1}},"
                + "{\"session\":\"new\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2999-01-01T00:00:00Z\"}]");
        Cli.Result dry = cli.run("session", "clean", "--older-than", "30d", "--dry-run");
        assertTrue(dry.out().contains("would remove old"), dry.toString());
        assertEquals(2, SessionJson.mapper().readTree(Files.readAllBytes(store)).size());
        Cli.Result r = cli.run("session", "clean", "--older-than", "30d");
        assertEquals(0, r.code(), r.toString());
        JsonNode left = SessionJson.mapper().readTree(Files.readAllBytes(store));
        assertEquals(1, left.size());
        assertEquals("new", left.get(0).get("session").asText());
        try (var files = Files.list(cli.stateDir().resolve("backups"))) {
            Path backup = files.findFirst().orElseThrow();
            JsonNode b = SessionJson.mapper().readTree(Files.readAllBytes(backup));
            assertEquals(2, b.size());
            assertEquals(1, b.get(0).get("custom").get("x").asInt(), "unknown fields survive in the backup");
        }
    }

    @Test
    void unknown_config_key_is_bad_input_and_set_get_round_trips() {
        Cli cli = new Cli(home);
        Cli.Result bad = cli.run("config", "set", "sessiondb.nope", "1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("known keys"), bad.err());
        assertEquals(0, cli.run("config", "set", "sessiondb.backend", "json").code());
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertEquals("postgres", cli.env("MINSKY_SESSIONDB_BACKEND", "postgres").run("config", "get", "sessiondb.backend").out().trim());
        cli.env("MINSKY_SESSIONDB_BACKEND", null);
        cli.run("config", "set", "sessiondb.connectionString", "postgresql://u:hunter22@localhost:5432/db");
        Cli.Result list = cli.run("config", "list", "sessiondb");
        assertFalse(list.out().contains("hunter22"), list.out());
        assertTrue(list.out().contains("****"), list.out());
    }

    @Test
    void times_are_written_the_way_minsky_writes_them() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json")
                .clock(java.time.Clock.fixed(java.time.Instant.parse("2026-03-04T05:06:07Z"), java.time.ZoneOffset.UTC));
        cli.run("session", "start", "t", "--repo", "/tmp/r");
        cli.run("session", "end", "t");
        JsonNode r = SessionJson.mapper().readTree(cli.run("session", "get", "t", "--json").out());
        assertEquals("2026-03-04T05:06:07.000Z", r.get("createdAt").asText());
        assertEquals("2026-03-04T05:06:07.000Z", r.get("endedAt").asText());
    }
}
