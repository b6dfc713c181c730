package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessiondb commands against a real PostgreSQL server the test starts itself. */
class SessionDbPostgresTest {
    @TempDir
    Path home;

    static String password(String url) {
        return url.substring(url.indexOf(':', "postgresql://".length()) + 1, url.indexOf('@'));
    }

    static void assertNoSecret(Cli.Result r, String secret) {
        assertFalse(r.out().contains(secret) || r.err().contains(secret), "the password leaked: " + r);
    }

    @Test
    void json_to_sqlite_to_postgres_to_json_keeps_every_record_and_unknown_field() throws Exception {
        String url = PostgresServer.shared().newDatabase("mig");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path json = cli.stateDir().resolve("session-db.json");
        Files.writeString(json, SessionDbMigrationTest.records(60));
        List<SessionRecord> original = SessionJson.parse(Files.readAllBytes(json));

        for (String target : List.of("sqlite", "postgres", "json")) {
            Cli.Result r = cli.run("sessiondb", "migrate", "to", target, "--verify");
            assertEquals(0, r.code(), target + ": " + r);
            assertTrue(r.out().contains("60 of 60 sessions identical"), r.out());
            assertNoSecret(r, password(url));
            assertEquals(target, cli.run("config", "get", "sessiondb.backend").out().trim());
            Cli.Result exp = cli.run("sessiondb", "export");
            assertEquals(new HashSet<>(original), new HashSet<>(SessionJson.parse(exp.out().getBytes())), "in " + target);
        }
        assertEquals(new HashSet<>(original), new HashSet<>(SessionJson.parse(Files.readAllBytes(json))));
        JsonNode s0 = SessionJson.mapper().readTree(cli.run("session", "get", "s-0", "--json").out());
        assertEquals("y", s0.get("unknownTop").get("deep").get(3).get("x").asText());

        Cli.Result st = cli.run("sessiondb", "migrate", "status", "--json");
        assertNoSecret(st, password(url));
        for (JsonNode s : SessionJson.mapper().readTree(st.out()).get("stores")) {
            assertEquals(60, s.get("sessions").asInt(), s.toString());
        }
    }

    @Test
    void a_wrong_password_leaves_the_old_store_in_use_and_untouched_and_is_never_shown() throws Exception {
        String url = PostgresServer.shared().newDatabase("badpw");
        String wrong = url.replace(password(url), "wrong-Secret-42");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", wrong);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "sqlite").code());
        Path in = home.resolve("in.json");
        Files.writeString(in, SessionDbMigrationTest.records(8));
        assertEquals(0, cli.run("sessiondb", "import", "--file", in.toString()).code());
        Path db = cli.stateDir().resolve("sessions.db");
        byte[] before = Files.readAllBytes(db);

        Cli.Result r = cli.run("sessiondb", "migrate", "to", "postgres", "--verify");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("the sqlite store") && r.err().contains("still in use"), r.err());
        assertNoSecret(r, "wrong-Secret-42");
        assertEquals("sqlite", cli.run("config", "get", "sessiondb.backend").out().trim());
        assertArrayEquals(before, Files.readAllBytes(db));
        Cli.Result logs = cli.run("logs", "--component", "sessiondb", "--tail", "100");
        assertNoSecret(logs, "wrong-Secret-42");
        assertFalse(Files.readString(cli.stateDir().resolve("logs/minsky.log")).contains("wrong-Secret-42"));
        assertFalse(Files.exists(cli.stateDir().resolve("migration-journal.json")), "it failed before anything was started");

        Cli.Result dry = cli.run("sessiondb", "migrate", "to", "postgres", "--dry-run");
        assertEquals(3, dry.code(), dry.toString());
        assertNoSecret(dry, "wrong-Secret-42");
    }

    @Test
    void test_connection_and_healthcheck_on_postgres_up_and_down() throws Exception {
        String url = PostgresServer.shared().newDatabase("health");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
        Cli.Result init = cli.run("sessiondb", "init", "--backend", "postgres");
        assertEquals(0, init.code(), init.toString());
        assertNoSecret(init, password(url));
        Cli.Result tc = cli.run("sessiondb", "test-connection");
        assertEquals(0, tc.code(), tc.toString());
        assertTrue(tc.out().contains("Backend:  postgres") && tc.out().contains("Latency:"), tc.out());
        assertNoSecret(tc, password(url));
        Cli.Result hc = cli.run("sessiondb", "healthcheck");
        assertEquals(0, hc.code(), hc.toString());
        assertEquals("", hc.out() + hc.err());

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String down = url.replaceFirst(":\\d+/", ":" + closed + "/");
        cli.env("MINSKY_POSTGRES_URL", down);
        Cli.Result tc2 = cli.run("sessiondb", "test-connection");
        assertEquals(3, tc2.code(), tc2.toString());
        assertNoSecret(tc2, password(url));
        Cli.Result hc2 = cli.run("sessiondb", "healthcheck");
        assertEquals(3, hc2.code(), hc2.toString());
        assertEquals(1, hc2.err().strip().lines().count(), hc2.err());
        assertNoSecret(hc2, password(url));
    }

    @Test
    void restore_and_reset_on_postgres() throws Exception {
        String url = PostgresServer.shared().newDatabase("restore");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Path in = home.resolve("in.json");
        Files.writeString(in, SessionDbMigrationTest.records(12));
        assertEquals(0, cli.run("sessiondb", "import", "--file", in.toString()).code());
        assertEquals(0, cli.run("session", "delete", "s-1").code());

        Cli.Result r = cli.run("sessiondb", "restore", "--backup", in.toString(), "--to", "postgres");
        assertEquals(0, r.code(), r.toString());
        assertEquals(new HashSet<>(SessionJson.parse(Files.readAllBytes(in))),
                new HashSet<>(SessionJson.parse(cli.run("sessiondb", "export").out().getBytes())));
        assertEquals(1, SessionDbCommandTest.backups(cli).size(), "what postgres held was backed up first");

        assertEquals(2, cli.run("sessiondb", "reset", "--backend", "postgres").code());
        Cli.Result reset = cli.run("sessiondb", "reset", "--backend", "postgres", "--force");
        assertEquals(0, reset.code(), reset.toString());
        assertEquals("[ ]", cli.run("sessiondb", "export").out().trim());
        assertEquals(2, SessionDbCommandTest.backups(cli).size());
    }

    @Test
    void recover_brings_back_a_dropped_sessions_table_from_the_newest_backup() throws Exception {
        String url = PostgresServer.shared().newDatabase("recover");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Path in = home.resolve("in.json");
        Files.writeString(in, SessionDbMigrationTest.records(12));
        assertEquals(0, cli.run("sessiondb", "import", "--file", in.toString()).code());
        assertEquals(0, cli.run("sessiondb", "export", "-o", cli.stateDir().resolve("backups/nightly.json").toString()).code());
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (var c = PostgresServer.shared().superConnection(db); var st = c.createStatement()) {
            st.execute("DROP TABLE sessions CASCADE");
        }
        Cli.Result hc = cli.run("sessiondb", "healthcheck");
        assertEquals(1, hc.code(), hc.toString());

        Cli.Result r = cli.run("sessiondb", "recover", "--auto", "--backup-first");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("restored 12 sessions from") && r.out().contains("nightly.json"), r.out());
        assertNoSecret(r, password(url));
        assertEquals(new HashSet<>(SessionJson.parse(Files.readAllBytes(in))),
                new HashSet<>(SessionJson.parse(cli.run("sessiondb", "export").out().getBytes())));
        assertEquals(0, cli.run("sessiondb", "healthcheck").code());
    }
}
