package dev.minsky.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsTest {
    @TempDir
    Path home;

    @Test
    void logs_filters_by_component_and_tails() {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        for (int i = 0; i < 5; i++) {
            assertEquals(0, cli.run("session", "start", "s" + i, "--repo", "/tmp/r").code());
        }
        cli.run("config", "set", "sessiondb.idleTimeout", "1000");
        Cli.Result r = cli.run("logs", "--component", "sessiondb", "--tail", "3");
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[2].contains("started session s4"), r.out());
        assertFalse(r.out().contains(" config "), r.out());
        assertTrue(cli.run("logs", "--json").out().contains("\"component\" : \"config\""));
    }

    @Test
    void passwords_never_reach_the_log() throws Exception {
        Cli cli = new Cli(home);
        cli.run("config", "set", "sessiondb.connectionString", "postgresql://u:canary-pw-7@h:5432/db");
        String log = Files.readString(cli.stateDir().resolve("logs/minsky.log"));
        assertTrue(log.contains("connectionString"), log);
        assertFalse(log.contains("canary-pw-7"), log);
    }

    @Test
    void an_unwritable_log_directory_does_not_fail_the_command() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Files.createDirectories(cli.stateDir());
        Files.writeString(cli.stateDir().resolve("logs"), "a file where the log directory belongs");
        assertEquals(0, cli.run("session", "start", "x", "--repo", "/tmp/r").code());
    }
}
