package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13: {@code session start}, {@code end} and {@code delete} run by other processes while
 * {@code sessiondb migrate to} copies, verifies and switches. Before the switch lock, a start during
 * the copy made the verify fail (exit 3) and one between verify and switch went to the old store
 * and was not in the new one. Now every write waits for the migration, then goes to the new store:
 * the migration exits 0 and every acknowledged session is in the configured store.
 */
class MigrationWithConcurrentWritesTest {
    private static final int SESSIONS = 6000;
    /** A busy machine: a child JVM may take long to start, a migration of 6000 sessions long to run. */
    private static final long BUDGET_S = 300;

    @TempDir
    Path home;

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"json,sqlite", "sqlite,json"})
    void session_writes_during_a_migration_all_land_in_the_store_it_switches_to(String from, String to) throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", from).code());
        Path export = home.resolve("in.json");
        Files.writeString(export, SessionDbMigrationTest.records(SESSIONS));
        assertEquals(0, cli.run("sessiondb", "import", "--file", export.toString()).code());
        MigrationJournal journal = new MigrationJournal(cli.stateDir());

        Path migrateOut = home.resolve("migrate.out");
        Process migrate = JavaProcess.start(JavaProcess.minsky(cli.envMap(), "sessiondb", "migrate", "to", to)
                .redirectErrorStream(true).redirectOutput(migrateOut.toFile()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_S);
        // wait until the migration has begun its copy (its journal says so), then write while it runs
        while (migrate.isAlive() && System.nanoTime() < deadline
                && !journal.readQuietly().map(e -> MigrationJournal.STARTED.equals(e.state())).orElse(false)) {
            Thread.sleep(5);
        }
        assertTrue(migrate.isAlive(), "the migration was still copying when the writers started: " + Files.readString(migrateOut));

        // writers in their own JVMs, all started while the migration runs: starts, an end and a delete of imported ones
        List<Process> writers = new ArrayList<>();
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            started.add("late-" + i);
            writers.add(writer(cli, "w" + i, "session", "start", "late-" + i, "--repo", "https://example.com/r.git"));
        }
        writers.add(writer(cli, "end", "session", "end", "s-1"));
        writers.add(writer(cli, "delete", "session", "delete", "s-2"));
        for (int i = 0; i < writers.size(); i++) {
            Process w = writers.get(i);
            assertTrue(w.waitFor(BUDGET_S, TimeUnit.SECONDS), "writer " + i + " ended within " + BUDGET_S + " s");
            assertEquals(0, w.exitValue(), "writer " + i + ": " + Files.readString(home.resolve("writer-" + (i < 4 ? "w" + i : i == 4 ? "end" : "delete") + ".out")));
        }
        assertTrue(migrate.waitFor(BUDGET_S, TimeUnit.SECONDS), "the migration ended within " + BUDGET_S + " s");
        assertEquals(0, migrate.exitValue(), "the migration: " + Files.readString(migrateOut));

        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertEquals(to, st.get("backend").asText(), st.toString());
        Cli.Result verify = cli.run("sessiondb", "verify");
        assertEquals(0, verify.code(), verify.toString());
        List<SessionRecord> now = SessionJson.parse(cli.run("sessiondb", "export").out().getBytes());
        Set<String> names = now.stream().map(SessionRecord::session).collect(Collectors.toSet());
        for (String s : started) {
            assertTrue(names.contains(s), s + " was acknowledged and must be in the " + to + " store");
        }
        assertTrue(names.contains("s-1"), "ended, not removed");
        assertTrue(!names.contains("s-2"), "the delete went to the store in use: s-2 is gone from it");
        assertEquals(SESSIONS - 1 + started.size(), names.size(), "every other session once");
        SessionRecord ended = now.stream().filter(r -> r.session().equals("s-1")).findFirst().orElseThrow();
        assertTrue(ended.ended(), "the end went to the store in use: " + ended);
    }

    private Process writer(Cli cli, String tag, String... args) {
        return JavaProcess.start(JavaProcess.minsky(cli.envMap(), args).redirectErrorStream(true)
                .redirectOutput(home.resolve("writer-" + tag + ".out").toFile()));
    }
}
