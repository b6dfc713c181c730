package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * product.md's exit codes against a store that cannot be read, for every backend: 3 ("could not
 * complete") for the commands that need the store, 1 (a finding) for the ones that check it.
 */
class BrokenStoreExitCodesTest {
    @TempDir
    Path home;

    /** Command, and its exit code on a store that cannot be read. */
    private static final Map<List<String>, Integer> TABLE = new java.util.LinkedHashMap<>();

    static {
        TABLE.put(List.of("session", "list"), 3);
        TABLE.put(List.of("session", "list", "--json"), 3);
        TABLE.put(List.of("session", "get", "a"), 3);
        TABLE.put(List.of("session", "start", "b", "--repo", "/tmp/r"), 3);
        TABLE.put(List.of("sessiondb", "export"), 3);
        TABLE.put(List.of("sessiondb", "import", "--file", "IN"), 3);
        TABLE.put(List.of("sessiondb", "test-connection"), 3);
        TABLE.put(List.of("sessiondb", "migrate", "to", "OTHER"), 3);
        TABLE.put(List.of("sessiondb", "verify"), 1);
        TABLE.put(List.of("doctor"), 1);
    }

    private void check(Cli cli, String backend, String other, int healthcheck) throws Exception {
        Path in = home.resolve("in.json");
        Files.writeString(in, "[]");
        List<String> wrong = new ArrayList<>();
        Map<List<String>, Integer> table = new java.util.LinkedHashMap<>(TABLE);
        table.put(List.of("sessiondb", "healthcheck"), healthcheck);
        for (var e : table.entrySet()) {
            String[] args = e.getKey().stream().map(a -> a.equals("IN") ? in.toString() : a.equals("OTHER") ? other : a).toArray(String[]::new);
            Cli.Result r = cli.run(args);
            if (r.code() != e.getValue()) {
                wrong.add(String.join(" ", args) + ": expected " + e.getValue() + ", got " + r);
            }
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            if (r.code() == 3) {
                assertTrue(r.err().contains("error:") || r.err().contains("minsky"), "says what failed: " + r);
            }
        }
        assertTrue(wrong.isEmpty(), backend + ":\n" + String.join("\n", wrong));
    }

    @Test
    void a_json_store_that_does_not_parse() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Files.createDirectories(cli.stateDir());
        Files.writeString(cli.stateDir().resolve("session-db.json"), "[{\"session\": \"a\", garbage");
        check(cli, "json", "sqlite", 1);
    }

    @Test
    void a_file_at_the_sqlite_path_that_is_not_a_database() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite");
        Files.createDirectories(cli.stateDir());
        Files.writeString(cli.stateDir().resolve("sessions.db"), "these are someone's notes, not a database\n".repeat(50));
        check(cli, "sqlite", "json", 1);
    }

    @Test
    void postgres_on_a_port_where_nothing_listens() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres")
                .env("MINSKY_POSTGRES_URL", "postgresql://minsky:s3cret-pw@127.0.0.1:" + closed + "/minsky");
        // healthcheck's own contract (its help and product.md): 3 when the store cannot be reached
        check(cli, "postgres (refused)", "json", 3);
    }

    @Test
    void postgres_with_a_wrong_password() throws Exception {
        String url = PostgresServer.shared().newDatabase("brokenexit");
        String pw = SessionDbPostgresTest.password(url);
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres").env("MINSKY_POSTGRES_URL", url.replace(pw, "wrong-Secret-42"));
        check(cli, "postgres (wrong password)", "json", 3);
    }
}
