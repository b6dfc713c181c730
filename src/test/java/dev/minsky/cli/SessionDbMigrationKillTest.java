package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A migration killed with SIGKILL half-way: visible as unfinished, old store in use, finished by running it again. */
class SessionDbMigrationKillTest {
    @TempDir
    Path home;

    @Test
    void a_migration_killed_half_way_is_reported_unfinished_and_a_rerun_finishes_it() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path json = cli.stateDir().resolve("session-db.json");
        Files.writeString(json, SessionDbMigrationTest.records(20_000));
        byte[] source = Files.readAllBytes(json);

        Process p = JavaProcess.start(JavaProcess.minsky(cli.envMap(), "sessiondb", "migrate", "to", "sqlite")
                .redirectErrorStream(true).redirectOutput(home.resolve("migrate.out").toFile()));
        MigrationJournal journal = new MigrationJournal(cli.stateDir());
        String killedAt = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Optional<MigrationJournal.Entry> e = journal.readQuietly();
            if (e.isPresent() && e.get().incomplete()) {
                killedAt = e.get().state();
                p.destroyForcibly(); // SIGKILL
                break;
            }
            Thread.sleep(2);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(killedAt != null, "the migration finished before it could be killed: " + Files.readString(home.resolve("migrate.out")));

        JsonNode st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertTrue(st.get("migrationIncomplete").asBoolean(), st.toString());
        assertEquals("json", st.get("backend").asText(), "the config was not switched");
        assertArrayEquals(source, Files.readAllBytes(json), "the source was never written");
        assertTrue(cli.run("sessiondb", "migrate", "status").out().contains("UNFINISHED migration json -> sqlite"));

        Cli.Result again = cli.run("sessiondb", "migrate", "to", "sqlite", "--verify");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("20000 of 20000 sessions identical"), again.out());
        assertTrue(again.err().contains("copying 20000 sessions to sqlite"), "progress of a large store on stderr: " + again.err());
        st = SessionJson.mapper().readTree(cli.run("sessiondb", "migrate", "status", "--json").out());
        assertEquals(MigrationJournal.SWITCHED, st.get("migration").get("state").asText());
        assertEquals(new HashSet<>(SessionJson.parse(source)),
                new HashSet<>(SessionJson.parse(cli.run("sessiondb", "export").out().getBytes())));
    }
}
