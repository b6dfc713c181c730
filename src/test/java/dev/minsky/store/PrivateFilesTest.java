package dev.minsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything minsky creates that holds session data or logs is private (files 0600, directories
 * 0700) under the usual umask 022: the commands run as real processes started by a shell that
 * sets it, so the test does not depend on the umask of the JVM that runs it.
 */
class PrivateFilesTest {
    @TempDir
    Path home;

    private void run(String backend, String... args) throws Exception {
        ProcessBuilder minsky = JavaProcess.minsky(Map.of("HOME", home.toString(), "MINSKY_SESSIONDB_BACKEND", backend), args);
        StringBuilder cmd = new StringBuilder("umask 022; exec");
        for (String a : minsky.command()) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString());
        pb.environment().putAll(minsky.environment());
        Processes.Output r = Processes.run(pb, Duration.ofMinutes(2));
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void the_store_its_logs_backups_journal_and_workspaces_are_private_whatever_the_umask(String backend) throws Exception {
        run(backend, "session", "start", "demo", "--repo", "https://example.com/r.git");
        run(backend, "session", "start", "old", "--repo", "https://example.com/r.git");
        run(backend, "sessiondb", "import", "--file", exportOf(backend));
        run(backend, "session", "delete", "old");
        Path state = home.resolve(".local/state/minsky");
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
                if (!mode.equals(want)) {
                    open.add(mode + " " + state.relativize(p));
                }
            }
        }
        assertTrue(open.isEmpty(), "readable by others: " + open);
        try (Stream<Path> all = Files.walk(state)) {
            assertTrue(all.anyMatch(p -> p.getParent() != null && p.getParent().endsWith("backups")), "a backup was made and checked");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sqlite"})
    void a_store_others_can_read_is_a_warning_that_fix_makes_private(String backend) throws Exception {
        run(backend, "session", "start", "demo", "--repo", "https://example.com/r.git");
        Path store = home.resolve(".local/state/minsky").resolve(backend.equals("json") ? "session-db.json" : "sessions.db");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-r--r--"));
        dev.minsky.testutil.Cli cli = new dev.minsky.testutil.Cli(home).env("MINSKY_SESSIONDB_BACKEND", backend);
        dev.minsky.testutil.Cli.Result r = cli.run("doctor", "--json");
        assertEquals(1, r.code(), r.toString());
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("store.world-readable", d.path("findings").path(0).path("cause").asText(), r.out());
        assertEquals("warning", d.path("findings").path(0).path("severity").asText());
        String sessionsBefore = cli.run("session", "list", "--json").out();

        r = cli.run("doctor", "--fix", "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("after").path("healthy").asBoolean(), r.out());
        assertEquals(sessionsBefore, cli.run("session", "list", "--json").out(), "the sessions are as they were");

        assertEquals(0, cli.run("doctor", "--undo").code());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)), "--undo gives the old mode back");
    }

    private String exportOf(String backend) throws Exception {
        Path f = home.resolve("in-" + backend + ".json");
        Files.writeString(f, "[{\"session\":\"imported\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00.000Z\"}]");
        return f.toString();
    }
}
