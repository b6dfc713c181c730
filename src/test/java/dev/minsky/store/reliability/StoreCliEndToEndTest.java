package dev.minsky.store.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session commands end to end on each backend, chosen by environment as a user would. */
class StoreCliEndToEndTest {
    @TempDir
    Path home;

    private Cli cli(String backend) {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", backend);
        if (backend.equals("postgres")) {
            cli.env("MINSKY_POSTGRES_URL", PostgresServer.shared().newDatabase("e2e"));
        }
        return cli;
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite", "postgres"})
    void sessions_start_list_page_end_and_delete_on_every_backend(String backend) throws Exception {
        Cli cli = cli(backend);
        assertEquals(0, cli.run("session", "list", "--json").code(), "an empty store lists as empty");
        for (int i = 0; i < 5; i++) {
            Cli.Result r = cli.run("session", "start", "s" + i, "--task", "md#" + (i % 2), "--repo", "https://github.com/edobry/minsky.git");
            assertEquals(0, r.code(), r.toString());
        }
        JsonNode all = SessionJson.mapper().readTree(cli.run("session", "list", "--json").out());
        assertEquals(5, all.size());
        assertEquals("s0", all.get(0).get("session").asText());
        JsonNode page = SessionJson.mapper().readTree(cli.run("session", "list", "--json", "--limit", "2", "--offset", "1").out());
        assertEquals(2, page.size());
        assertEquals("s1", page.get(0).get("session").asText());
        JsonNode odd = SessionJson.mapper().readTree(cli.run("session", "list", "--json", "--task", "md#1").out());
        assertEquals(2, odd.size());
        Cli.Result dup = cli.run("session", "start", "s1", "--repo", "/tmp/r");
        assertEquals(2, dup.code(), dup.toString());
        assertEquals(0, cli.run("session", "end", "s2").code());
        JsonNode s2 = SessionJson.mapper().readTree(cli.run("session", "get", "s2", "--json").out());
        assertTrue(s2.has("endedAt"), s2.toString());
        assertEquals(all.get(2).get("createdAt"), s2.get("createdAt"), "createdAt is kept exactly");
        assertEquals(0, cli.run("session", "delete", "s3").code());
        assertEquals(2, cli.run("session", "get", "s3").code());
        assertEquals(4, SessionJson.mapper().readTree(cli.run("session", "list", "--json").out()).size());
        if (!backend.equals("postgres")) {
            String file = backend.equals("json") ? "session-db.json" : "sessions.db";
            assertTrue(Files.isRegularFile(cli.stateDir().resolve(file)));
        }
        String log = Files.readString(cli.stateDir().resolve("logs/minsky.log"));
        assertFalse(log.contains("pw-"), "no password in the log");
    }
}
