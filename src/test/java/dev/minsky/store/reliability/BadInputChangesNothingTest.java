package dev.minsky.store.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store the tool cannot read gets a clear error and exit code, and every byte on disk stays as it was. */
class BadInputChangesNothingTest {
    @TempDir
    Path home;

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(p -> !p.startsWith("logs")).sorted().toList();
        }
    }

    private static final List<List<String>> COMMANDS = List.of(
            List.of("session", "list"), List.of("session", "list", "--json"), List.of("session", "get", "a"),
            List.of("session", "start", "b", "--repo", "/tmp/r"), List.of("session", "end", "a"),
            List.of("session", "delete", "a"), List.of("session", "end", "--all"));

    private void assertEveryCommandFailsAndNothingChanges(Cli cli, Path store, String expected) throws Exception {
        String sum = sha256(store);
        List<String> before = tree(cli.stateDir());
        for (List<String> cmd : COMMANDS) {
            Cli.Result r = cli.run(cmd.toArray(String[]::new));
            assertEquals(3, r.code(), cmd + " -> " + r);
            assertTrue(r.err().contains(expected), cmd + " -> " + r.err());
            assertTrue(r.err().contains("hint:"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertEquals(sum, sha256(store), cmd + " changed the store");
            assertEquals(before, tree(cli.stateDir()), cmd + " created or removed files");
        }
    }

    @Test
    void a_file_that_is_not_sqlite_at_the_sqlite_path_is_exit_2_and_untouched() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite");
        Path db = cli.stateDir().resolve("sessions.db");
        Files.createDirectories(db.getParent());
        Files.writeString(db, "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}]");
        assertEveryCommandFailsAndNothingChanges(cli, db, "is not an SQLite database");
    }

    @Test
    void random_bytes_at_the_sqlite_path_are_exit_2_and_untouched() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite");
        Path db = cli.stateDir().resolve("sessions.db");
        Files.createDirectories(db.getParent());
        byte[] junk = new byte[8192];
        new java.util.Random(7).nextBytes(junk);
        Files.write(db, junk);
        assertEveryCommandFailsAndNothingChanges(cli, db, "SQLITE_NOTADB");
    }

    @Test
    void a_json_store_that_does_not_parse_is_exit_2_and_untouched() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Path store = cli.stateDir().resolve("session-db.json");
        Files.createDirectories(store.getParent());
        Files.writeString(store, "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"},\n{\"session\":\"b\",\"repo");
        assertEveryCommandFailsAndNothingChanges(cli, store, "does not parse");
    }
}
