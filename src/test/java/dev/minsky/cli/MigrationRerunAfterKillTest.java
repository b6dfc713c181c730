package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 3: {@code migrate to X} killed with SIGKILL at an observed point (journal written,
 * target file growing, journal past the copy, config switched) in its own JVM; the same command run
 * again exits 0, the target holds every session once, the config names X and the store verifies.
 */
class MigrationRerunAfterKillTest {
    private static final int SESSIONS = 3000;
    /** A busy machine: the child JVM may take long to reach each point. */
    private static final long BUDGET_S = 180;

    @TempDir
    Path home;

    @ParameterizedTest(name = "json to sqlite killed at {0}")
    @ValueSource(strings = {"journal-started", "target-growing", "journal-copied", "config-switched"})
    void a_killed_json_to_sqlite_migration_finishes_when_run_again(String point) throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path json = cli.stateDir().resolve("session-db.json");
        Files.writeString(json, SessionDbMigrationTest.records(SESSIONS));
        Set<SessionRecord> source = new HashSet<>(SessionJson.parse(Files.readAllBytes(json)));
        Path db = cli.stateDir().resolve("sessions.db");
        MigrationJournal journal = new MigrationJournal(cli.stateDir());
        Path config = home.resolve(".config/minsky/config.yaml");

        BooleanSupplier reached = switch (point) {
            case "journal-started" -> () -> state(journal).equals(MigrationJournal.STARTED);
            // the copy is under way: the SQLite file or its write-ahead log has data while the journal says started
            case "target-growing" -> () -> state(journal).equals(MigrationJournal.STARTED) && (size(db) > 0 || size(wal(db)) > 0);
            case "journal-copied" -> () -> state(journal).equals(MigrationJournal.COPIED);
            case "config-switched" -> () -> read(config).contains("sqlite");
            default -> throw new IllegalArgumentException(point);
        };
        String killed = killWhen(cli, reached, "sqlite");
        assertTrue(json.toFile().exists());

        Cli.Result again = cli.run("sessiondb", "migrate", "to", "sqlite");
        assertEquals(0, again.code(), "killed at " + killed + ": " + again);
        assertFinished(cli, "sqlite", source);
    }

    @Test
    void a_sqlite_to_json_migration_killed_while_the_json_temp_file_grows_finishes_when_run_again() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "sqlite").code());
        Path export = home.resolve("in.json");
        Files.writeString(export, SessionDbMigrationTest.records(SESSIONS));
        assertEquals(0, cli.run("sessiondb", "import", "--file", export.toString()).code());
        Set<SessionRecord> source = new HashSet<>(SessionJson.parse(Files.readAllBytes(export)));
        Path dir = cli.stateDir();
        String killed = killWhen(cli, () -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.anyMatch(p -> p.getFileName().toString().startsWith(".minsky-tmp-session-db.json") && size(p) > 0);
            } catch (java.io.IOException e) {
                return false;
            }
        }, "json");
        Cli.Result again = cli.run("sessiondb", "migrate", "to", "json");
        assertEquals(0, again.code(), "killed at " + killed + ": " + again);
        assertFinished(cli, "json", source);
    }

    /** The window a kill at "config-switched" may miss: config written, journal not yet; made exactly. */
    @Test
    void a_migration_stopped_between_the_config_switch_and_the_journal_finishes_when_run_again() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path json = cli.stateDir().resolve("session-db.json");
        Files.writeString(json, SessionDbMigrationTest.records(200));
        Set<SessionRecord> source = new HashSet<>(SessionJson.parse(Files.readAllBytes(json)));
        assertEquals(0, cli.run("sessiondb", "migrate", "to", "sqlite").code());
        Path jf = cli.stateDir().resolve(MigrationJournal.FILE);
        ObjectNode j = (ObjectNode) SessionJson.mapper().readTree(jf.toFile());
        j.put("state", MigrationJournal.VERIFIED);
        Files.write(jf, SessionJson.mapper().writeValueAsBytes(j));
        // and one session the copy never reached
        assertEquals(0, cli.run("session", "delete", "s-7").code());

        Cli.Result again = cli.run("sessiondb", "migrate", "to", "sqlite", "--json");
        assertEquals(0, again.code(), again.toString());
        assertEquals("verified", SessionJson.mapper().readTree(again.out()).get("resumedFrom").asText(), again.out());
        assertFinished(cli, "sqlite", source);
        // without a journaled migration to finish, naming the configured backend is still bad input
        Files.delete(jf);
        assertEquals(2, cli.run("sessiondb", "migrate", "to", "sqlite").code());
    }

    private String killWhen(Cli cli, BooleanSupplier reached, String target) throws Exception {
        Path outFile = home.resolve("migrate-" + System.nanoTime() + ".out");
        Process p = JavaProcess.start(JavaProcess.minsky(cli.envMap(), "sessiondb", "migrate", "to", target)
                .redirectErrorStream(true).redirectOutput(outFile.toFile()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_S);
        String killedAt = null;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (reached.getAsBoolean()) {
                p.destroyForcibly(); // SIGKILL
                killedAt = "state " + state(new MigrationJournal(cli.stateDir()));
                break;
            }
            Thread.sleep(1);
        }
        assertTrue(p.waitFor(BUDGET_S, TimeUnit.SECONDS), "the killed migration ended");
        assertTrue(killedAt != null, "the point was never observed within " + BUDGET_S + " s while the migration ran: "
                + Files.readString(outFile));
        return killedAt;
    }

    private static void assertFinished(Cli cli, String backend, Set<SessionRecord> source) throws Exception {
        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertEquals(backend, st.get("backend").asText(), "config switched: " + st);
        assertEquals(MigrationJournal.SWITCHED, st.get("migration").get("state").asText(), st.toString());
        assertFalse(st.get("migrationIncomplete").asBoolean());
        Cli.Result verify = cli.run("sessiondb", "verify");
        assertEquals(0, verify.code(), verify.toString());
        List<SessionRecord> now = SessionJson.parse(cli.run("sessiondb", "export").out().getBytes());
        Set<String> names = now.stream().map(SessionRecord::session).collect(Collectors.toSet());
        assertEquals(now.size(), names.size(), "every session once");
        assertEquals(source, new HashSet<>(now), "every session present, as it was");
    }

    private static String state(MigrationJournal j) {
        Optional<MigrationJournal.Entry> e = j.readQuietly();
        return e.map(MigrationJournal.Entry::state).orElse("");
    }

    private static Path wal(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
